package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

func TestPrintable(t *testing.T) {
	tests := []struct {
		name, in     string
		keepNewlines bool
		want         string
	}{
		{"plain", "issuer https://a.example/ → ok", false, "issuer https://a.example/ → ok"},
		{"escape sequence", "\x1b[2Jgone", false, `\x1b[2Jgone`},
		{"C1 control", "a\u009bb", false, `a\u009bb`},
		{"bidi override", "abc\u202Edcba", false, `abc\u202edcba`},
		{"newline kept", "a\nb", true, "a\nb"},
		{"newline escaped", "a\nb", false, `a\x0ab`},
		{"CRLF", "a\r\nb\rc", true, "a\nb\\x0dc"},
		{"tab", "a\tb", false, "a\tb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := printable(tt.in, tt.keepNewlines); got != tt.want {
				t.Errorf("printable(%q, %v) = %q, want %q", tt.in, tt.keepNewlines, got, tt.want)
			}
		})
	}
}

func TestMarkdownCell(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"pipe", "a|b", `a\|b`},
		{"backslash before a pipe", `a\|b`, `a\\\|b`},
		{"markup", `<img src=x onerror="alert(1)">`, `&lt;img src=x onerror="alert(1)"&gt;`},
		{"entity", "&amp;", "&amp;amp;"},
		{"newlines", "one\ntwo\r\nthree\n", "one<br>two<br>three"},
		{"control", "\x1b[31m", `\\x1b[31m`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mdCell(tt.in); got != tt.want {
				t.Errorf("mdCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Whatever a message holds, every row of a Markdown table keeps its columns.
func TestMarkdownRowsKeepTheirColumns(t *testing.T) {
	r := NewResults([]TargetResults{{Issuer: "https://a.example|x", Results: []Result{
		{ID: "DISC-005", Title: "t|t", Status: check.Failed, Message: nastyMessage + `\|` + "\n|", Remediation: "fix|\\"},
	}}})
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		// Count the pipes that separate cells: those not escaped by an odd
		// run of backslashes.
		cells, backslashes := 0, 0
		for _, c := range line {
			switch {
			case c == '\\':
				backslashes++
				continue
			case c == '|' && backslashes%2 == 0:
				cells++
			}
			backslashes = 0
		}
		if cells != 6 && cells != 5 {
			t.Errorf("row has %d separators: %s", cells, line)
		}
	}
}

func TestConsoleKeepsEscapesOut(t *testing.T) {
	r := NewResults([]TargetResults{{Issuer: "https://a.example/\x1b]0;title\x07", Results: []Result{
		{ID: "DISC-005", Title: "t", Status: check.Warning, Message: nastyMessage, Remediation: "fix\x1b[0m"},
	}}})
	var b bytes.Buffer
	if err := WriteConsole(&b, r, false); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\x07\r") {
		t.Errorf("console output without colour holds control characters:\n%q", b.String())
	}
}
