package reports

import (
	"bytes"
	"encoding/xml"
	"testing"
)

// TestJUnitXMLMatchesEncoder: the hand-written JUnit elements are the bytes
// encoding/xml writes for the same values with a two-space indent, hostile
// text included.
func TestJUnitXMLMatchesEncoder(t *testing.T) {
	hostile := "a \"q\" 'a' <b> & \t\n\r \x01 \xff é \u2028 ]]>"
	suites := []junitSuite{
		{Name: hostile, Tests: 2, Failures: 1, Skipped: 1, Time: "0.001",
			Properties: []junitProperty{{Name: "issuer", Value: hostile}, {Name: "X.severity", Value: "FAIL"}},
			Cases: []junitCase{
				{Name: hostile, Classname: "c", Time: "0.000", Failure: &junitMessage{Message: hostile, Type: "FAIL", Body: xmlText(hostile)},
					SystemOut: &junitText{Body: xmlText(hostile)}},
				{Name: "b", Classname: "c", Time: "1.000", Skipped: &junitMessage{Message: hostile}, SystemOut: &junitText{Body: "x\n"}},
				{Name: "bare", Classname: "c", Time: "0.000"},
			}},
		{Name: "empty", Time: "0.000"},
	}
	for i, s := range suites {
		var want bytes.Buffer
		enc := xml.NewEncoder(&want)
		enc.Indent("  ", "  ")
		if err := enc.EncodeElement(s, xml.StartElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		x := newJUnitXML(&got)
		x.suite(s)
		if err := x.w.Flush(); err != nil {
			t.Fatal(err)
		}
		if g, w := got.String(), "\n"+want.String(); g != w {
			t.Errorf("suite %d:\n got %q\nwant %q", i, g, w)
		}
	}
}

// TestJUnitCasePiecesEscapeAsWhole: a testcase's body escaped in pieces
// (the finding alone, the facts and fix remembered) is the whole escaped at
// once, for hostile findings that end in a broken UTF-8 sequence too.
func TestJUnitCasePiecesEscapeAsWhole(t *testing.T) {
	x := newJUnitXML(&bytes.Buffer{})
	for _, msg := range []string{"plain", "a <b> & \"c\"\n\r\t\x01", "ends broken \xe2\x82", "\xff", "é\u2028"} {
		for _, st := range []Result{
			{ID: "A-1", Severity: "FAIL", Status: "passed", Message: msg, Reference: "ref <&>", Remediation: "fix \"it\""},
			{ID: "A-2", Severity: "WARN", Status: "warning", Message: msg, Reference: "r"},
			{ID: "A-3", Severity: "FAIL", Status: "failed", Message: msg, Reference: "ref\n<&>", Remediation: "fix \xe2"},
			{ID: "A-4", Status: "failed", Message: msg},
		} {
			facts := junitFacts(st)
			c := junitCaseOf(st, facts, x.text)
			var want string
			for _, f := range facts {
				want += f.Name + ": " + f.Value + "\n"
			}
			if st.Status != "failed" {
				want += "message: " + msg + "\n"
			}
			if got := c.SystemOut.Body; got != xmlText(want) {
				t.Errorf("%s %q system-out %q, want %q", st.ID, msg, got, xmlText(want))
			}
			if st.Status == "failed" && c.Failure.Body != xmlText(failureBody(st)) {
				t.Errorf("%s %q failure %q, want %q", st.ID, msg, c.Failure.Body, xmlText(failureBody(st)))
			}
		}
	}
}
