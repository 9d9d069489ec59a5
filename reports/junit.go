package reports

import (
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
//
// The document is streamed a testsuite at a time: a fleet's report is never
// held whole in memory.
func WriteJUnit(w io.Writer, r Results) error {
	top := junitSuites{Name: toolName}
	var total time.Duration
	for _, t := range r.Targets {
		top.Tests += len(t.Results)
		for _, res := range t.Results {
			total += res.Duration
			if junitFails(res.Status) {
				top.Failures++
			}
		}
	}
	var waivers *junitSuite
	if len(r.Waivers) > 0 {
		s := junitWaiverSuite(r.Waivers)
		top.Tests += s.Tests
		top.Failures += s.Failures
		waivers = &s
	}
	top.Time = junitTime(total)
	x := newJUnitXML(w)
	x.w.WriteString(xml.Header)
	x.w.WriteString("<testsuites")
	x.attr("name", top.Name)
	x.attr("tests", itoa(top.Tests))
	x.attr("failures", itoa(top.Failures))
	x.attr("errors", itoa(top.Errors))
	x.attr("time", top.Time)
	x.w.WriteByte('>')
	for _, t := range r.Targets {
		x.suite(junitSuiteOf(t, x.text))
	}
	if waivers != nil {
		x.suite(*waivers)
	}
	if len(r.Targets) > 0 || waivers != nil {
		x.indent(0)
	}
	x.w.WriteString("</testsuites>\n")
	if err := x.w.Flush(); err != nil {
		return fmt.Errorf("reports: write junit report: %w", err)
	}
	return nil
}

// junitFails reports whether a result of status st is a JUnit failure:
// anything but a pass, a warning, a skip or a waiver (a status this package
// does not know is never a pass).
func junitFails(st check.Status) bool {
	switch st {
	case check.Passed, check.Warning, check.Skipped, Waived:
		return false
	}
	return true
}

// junitSuiteOf is the testsuite of one target; text is xmlText, perhaps
// remembering what it escaped before (a check's facts, fix and reference
// are the same for every target).
func junitSuiteOf(t TargetResults, text func(string) string) junitSuite {
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
		c := junitCaseOf(res, facts, text)
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
// The finding is escaped on its own, and what follows or precedes it (the
// same for every target) by text: escaping is character by character, and
// each piece joined to the finding starts or ends with a newline, so the
// pieces escape as the whole would.
func junitCaseOf(res Result, facts []junitProperty, text func(string) string) junitCase {
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
		out.WriteString(f.Name)
		out.WriteString(": ")
		out.WriteString(f.Value)
		out.WriteByte('\n')
	}
	body := text(out.String())
	switch res.Status {
	case check.Passed, check.Warning:
		if res.Message != "" {
			body += text("message: ") + xmlText(res.Message) + "\n"
		}
	case check.Skipped:
		c.Skipped = &junitMessage{Message: res.Message}
	case Waived:
		c.Skipped = &junitMessage{Message: "waived: " + waiverLine(res.Waiver) + ": " + res.Message}
	default: // failed, or a status this package does not know: never a pass
		tail := failureBody(Result{Remediation: res.Remediation, Reference: res.Reference})
		c.Failure = &junitMessage{Message: res.Message, Type: "FAIL", Body: xmlText(res.Message) + text(tail)}
	}
	c.SystemOut = &junitText{Body: body}
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
