package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// The JUnit shape follows the schema Jenkins' xUnit plugin validates against
// (junit-10.xsd). That schema allows <properties> only in <testsuite>, not in
// <testcase>, so per-check facts are written twice:
//
//   - as testsuite properties named "<ID>.<fact>" (DISC-005.severity), for
//     tools that read properties; one testsuite is one target, so the names
//     are unique within it;
//   - as "fact: value" lines in the testcase's <system-out>, which every
//     JUnit viewer shows next to the test.
//
// The facts are check_id, severity, reference and, for a warning,
// finding=warning. The schema's <testsuites> has no skipped attribute, so the
// skipped count is given per testsuite only.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Skipped    int             `xml:"skipped,attr"`
		Time       string          `xml:"time,attr"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Time      string        `xml:"time,attr"`
		Failure   *junitMessage `xml:"failure"`
		Skipped   *junitMessage `xml:"skipped"`
		SystemOut *junitText    `xml:"system-out"`
	}
	junitMessage struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr,omitempty"`
		Body    string `xml:",innerxml"`
	}
	junitText struct {
		Body string `xml:",innerxml"`
	}
)

// WriteJUnit writes r as JUnit XML: a <testsuite> per target named by its
// name (default its issuer), a <testcase> per check named "<ID> <title>" with classname
// "oidc-conformance.<area>". A failed check has a <failure type="FAIL"> whose
// message is the finding and whose body adds the fix and reference; a warning
// is a passing testcase with its message in <system-out>; a skipped check has
// <skipped message="...">. There are no errors: a harness fault in a check is
// reported as its failure.
func WriteJUnit(w io.Writer, r Results) error {
	doc := junitSuites{Name: toolName}
	var total time.Duration
	for _, t := range r.Targets {
		s := junitSuiteOf(t)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		for _, res := range t.Results {
			total += res.Duration
		}
		doc.Suites = append(doc.Suites, s)
	}
	if len(r.Waivers) > 0 {
		s := junitWaiverSuite(r.Waivers)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = junitTime(total)

	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("reports: encode junit report: %w", err)
	}
	b.WriteByte('\n')
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("reports: write junit report: %w", err)
	}
	return nil
}

// junitSuiteOf is the testsuite of one target.
func junitSuiteOf(t TargetResults) junitSuite {
	s := junitSuite{
		Name:       t.Label(),
		Tests:      len(t.Results),
		Properties: []junitProperty{{Name: "issuer", Value: t.Issuer}},
	}
	if t.Name != "" && t.Name != t.Issuer {
		s.Properties = append(s.Properties, junitProperty{Name: "target", Value: t.Name})
	}
	var total time.Duration
	for _, res := range t.Results {
		total += res.Duration
		facts := junitFacts(res)
		for _, f := range facts {
			s.Properties = append(s.Properties, junitProperty{Name: res.ID + "." + f.Name, Value: f.Value})
		}
		c := junitCaseOf(res, facts)
		if c.Failure != nil {
			s.Failures++
		}
		if c.Skipped != nil {
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	for _, row := range t.Acceptance {
		c := junitAcceptanceCase(row)
		s.Tests++
		if c.Failure != nil {
			s.Failures++
		}
		if c.Skipped != nil {
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	s.Time = junitTime(total)
	return s
}

// junitFacts are the per-check facts a JUnit reader may want to filter on;
// a check the catalog does not know has no severity or reference, and those
// facts are left out rather than written empty.
func junitFacts(res Result) []junitProperty {
	facts := []junitProperty{{Name: "check_id", Value: res.ID}}
	if res.Severity != "" {
		facts = append(facts, junitProperty{Name: "severity", Value: string(res.Severity)})
	}
	if res.Reference != "" {
		facts = append(facts, junitProperty{Name: "reference", Value: res.Reference})
	}
	if res.Status == check.Warning {
		facts = append(facts, junitProperty{Name: "finding", Value: "warning"})
	}
	return facts
}

// junitCaseOf is the testcase of one check; facts go to its system-out.
func junitCaseOf(res Result, facts []junitProperty) junitCase {
	c := junitCase{
		Name:      strings.TrimSpace(res.ID + " " + res.Title),
		Classname: toolName,
		Time:      junitTime(res.Duration),
	}
	if res.Area != "" {
		c.Classname += "." + res.Area
	}
	var out strings.Builder
	for _, f := range facts {
		fmt.Fprintf(&out, "%s: %s\n", f.Name, f.Value)
	}
	switch res.Status {
	case check.Passed, check.Warning:
		if res.Message != "" {
			fmt.Fprintf(&out, "message: %s\n", res.Message)
		}
	case check.Skipped:
		c.Skipped = &junitMessage{Message: res.Message}
	case Waived:
		c.Skipped = &junitMessage{Message: "waived: " + waiverLine(res.Waiver) + ": " + res.Message}
	default: // failed, or a status this package does not know: never a pass
		c.Failure = &junitMessage{Message: res.Message, Type: "FAIL", Body: xmlText(failureBody(res))}
	}
	c.SystemOut = &junitText{Body: xmlText(out.String())}
	return c
}

// failureBody is the finding followed by how to fix it and where the rule is.
func failureBody(res Result) string {
	body := res.Message
	if res.Remediation != "" {
		body += "\n\nfix: " + res.Remediation
	}
	if res.Reference != "" {
		body += "\nref: " + res.Reference
	}
	return body
}

// xmlText escapes s as XML character data. encoding/xml escapes newlines as
// &#xA;, which is correct but unreadable in a long body; a literal newline is
// equally preserved in character data, so it is kept. Characters XML cannot
// hold (most control characters) become U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	// EscapeText fails only if the writer fails; a Builder does not.
	_ = xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), "&#xA;", "\n")
}

// junitTime is a duration in seconds with millisecond precision, as the
// schema's SUREFIRE_TIME pattern expects.
func junitTime(d time.Duration) string {
	return fmt.Sprintf("%.3f", d.Seconds())
}

// junitWaiverSuite is a testsuite "waivers" with a testcase per finding
// about the waivers file: an expired waiver fails, an unused one passes with
// its message in system-out.
func junitWaiverSuite(fs []WaiverFinding) junitSuite {
	s := junitSuite{Name: "waivers", Tests: len(fs), Time: junitTime(0)}
	for _, f := range fs {
		c := junitCase{Name: "waiver " + f.Check + " on " + f.Target, Classname: toolName + ".waivers", Time: junitTime(0)}
		if f.Status == check.Failed {
			c.Failure = &junitMessage{Message: f.Message, Type: "FAIL", Body: xmlText(f.Message)}
			s.Failures++
		} else {
			c.SystemOut = &junitText{Body: xmlText("message: " + f.Message + "\n")}
		}
		s.Cases = append(s.Cases, c)
	}
	return s
}
