package reports

import (
	"fmt"
	"strings"
	"unicode"
)

// toolName titles the reports and prefixes JUnit classnames.
const toolName = "oidc-conformance"

// printable makes text from an issuer safe to print: control characters
// (terminal escape sequences among them) and bidirectional overrides are
// shown escaped, as \x1b or \u202e. CRLF becomes LF; LF itself is escaped too
// unless keepNewlines is set.
func printable(s string, keepNewlines bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' && keepNewlines, r == '\t':
			b.WriteRune(r)
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// summaryLine is "N passed, N failed, N warnings, N skipped"; CI log readers
// parse its first two counts, so their wording and order are fixed.
// A run with waivers adds ", N waived".
func summaryLine(s Summary) string {
	line := fmt.Sprintf("%d passed, %d failed, %d warnings, %d skipped", s.Passed, s.Failed, s.Warnings, s.Skipped)
	if s.Waived > 0 {
		line += fmt.Sprintf(", %d waived", s.Waived)
	}
	return line
}

// waiverLine describes the waiver of a waived result.
func waiverLine(w *WaiverNote) string {
	if w == nil {
		return ""
	}
	return fmt.Sprintf("%s (%s, until %s)", w.Reason, w.Owner, w.Expires.Format("2006-01-02"))
}
