package reports

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
)

// junitXML writes the JUnit document's elements by hand, byte for byte as
// encoding/xml with a two-space indent would (the goldens hold it to that),
// without reflection: a fleet's report has tens of thousands of testcases.
// Attribute values are escaped as encoding/xml escapes them; those seen
// before (a catalog's titles, references, areas) are escaped once.
type junitXML struct {
	w   *bufio.Writer
	esc map[string]string
	txt map[string]string
}

// junitEscapeCache bounds the escaped attribute values kept: findings'
// messages vary by target and are not worth keeping.
const junitEscapeCache = 4096

func newJUnitXML(w io.Writer) *junitXML {
	return &junitXML{w: bufio.NewWriterSize(w, 64<<10), esc: make(map[string]string), txt: make(map[string]string)}
}

// text is xmlText(s), remembered for the next time (as attr remembers).
func (x *junitXML) text(s string) string {
	if e, ok := x.txt[s]; ok {
		return e
	}
	e := xmlText(s)
	if len(x.txt) < junitEscapeCache {
		x.txt[s] = e
	}
	return e
}

// attr writes ` name="value"`.
func (x *junitXML) attr(name, value string) {
	x.w.WriteByte(' ')
	x.w.WriteString(name)
	x.w.WriteString(`="`)
	e, ok := x.esc[value]
	if !ok {
		var b bufWriter
		// EscapeText fails only if the writer fails; bufWriter does not.
		_ = xml.EscapeText(&b, []byte(value))
		e = string(b)
		if len(x.esc) < junitEscapeCache {
			x.esc[value] = e
		}
	}
	x.w.WriteString(e)
	x.w.WriteByte('"')
}

// bufWriter is a byte slice that is an io.Writer.
type bufWriter []byte

func (b *bufWriter) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}

// indent starts a new line at depth d.
func (x *junitXML) indent(d int) {
	x.w.WriteByte('\n')
	for range d {
		x.w.WriteString("  ")
	}
}

// suite writes one <testsuite> at depth 1.
func (x *junitXML) suite(s junitSuite) {
	x.indent(1)
	x.w.WriteString("<testsuite")
	x.attr("name", s.Name)
	x.attr("tests", itoa(s.Tests))
	x.attr("failures", itoa(s.Failures))
	x.attr("errors", itoa(s.Errors))
	x.attr("skipped", itoa(s.Skipped))
	x.attr("time", s.Time)
	x.w.WriteByte('>')
	x.indent(2)
	x.w.WriteString("<properties>")
	for _, p := range s.Properties {
		x.indent(3)
		x.w.WriteString("<property")
		x.attr("name", p.Name)
		x.attr("value", p.Value)
		x.w.WriteString("></property>")
	}
	if len(s.Properties) > 0 {
		x.indent(2)
	}
	x.w.WriteString("</properties>")
	for _, c := range s.Cases {
		x.testcase(c)
	}
	x.indent(1)
	x.w.WriteString("</testsuite>")
}

// testcase writes one <testcase> at depth 2.
func (x *junitXML) testcase(c junitCase) {
	x.indent(2)
	x.w.WriteString("<testcase")
	x.attr("name", c.Name)
	x.attr("classname", c.Classname)
	x.attr("time", c.Time)
	x.w.WriteByte('>')
	children := false
	for _, m := range []struct {
		tag string
		msg *junitMessage
	}{{"failure", c.Failure}, {"skipped", c.Skipped}} {
		if m.msg == nil {
			continue
		}
		children = true
		x.indent(3)
		x.w.WriteString("<" + m.tag)
		x.attr("message", m.msg.Message)
		if m.msg.Type != "" {
			x.attr("type", m.msg.Type)
		}
		x.w.WriteByte('>')
		x.w.WriteString(m.msg.Body)
		x.w.WriteString("</" + m.tag + ">")
	}
	if c.SystemOut != nil {
		children = true
		x.indent(3)
		x.w.WriteString("<system-out>")
		x.w.WriteString(c.SystemOut.Body)
		x.w.WriteString("</system-out>")
	}
	if children {
		x.indent(2)
	}
	x.w.WriteString("</testcase>")
}

// itoa is strconv.Itoa, short.
func itoa(n int) string { return strconv.Itoa(n) }
