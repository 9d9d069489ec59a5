package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// ANSI SGR sequences for the status words.
const (
	ansiGreen  = "\x1b[32m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiDim    = "\x1b[2m"
	ansiReset  = "\x1b[0m"
)

// consoleIndent lines up fix:, ref: and a message's continuation lines under
// the ID; a fix's continuation lines go further, under its text.
const consoleIndent = "        "

// WriteConsole writes r for a terminal or a CI log: per target a header line
// with the issuer, then one line per check, indented two spaces:
//
//	FAIL  DISC-005 issuer equals the probed issuer URL: <message>
//	      fix: <remediation>
//	      ref: <reference>
//
// where the status word is pass, FAIL, warn or skip and the fix and ref lines
// follow failures and warnings only. The last line is the summary,
// "N passed, N failed, N warnings, N skipped". With color set, the status
// words are coloured with ANSI escapes (green, red, yellow, dim). Control
// characters in issuer-supplied text are shown escaped, never sent to the
// terminal.
func WriteConsole(w io.Writer, r Results, color bool) error {
	var b bytes.Buffer
	for _, t := range r.Targets {
		fmt.Fprintf(&b, "%s\n", printable(targetHeading(t), false))
		for _, res := range t.Results {
			writeConsoleResult(&b, res, color)
		}
		writeConsoleAcceptance(&b, t.Acceptance)
		b.WriteByte('\n')
	}
	writeConsoleWaivers(&b, r.Waivers, color)
	fmt.Fprintf(&b, "%s\n", summaryLine(r.Summary))
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("reports: write console report: %w", err)
	}
	return nil
}

// writeConsoleResult writes one check's line and, for a failure or warning,
// its fix and ref lines.
func writeConsoleResult(b *bytes.Buffer, res Result, color bool) {
	word, colour := consoleStatus(res.Status)
	if color {
		word = colour + word + ansiReset
	}
	line := strings.TrimSpace(printable(res.ID, false) + " " + printable(res.Title, false))
	if res.Message != "" {
		line += ": " + indentLines(printable(res.Message, true), consoleIndent)
	}
	fmt.Fprintf(b, "  %s  %s\n", word, line)
	if res.Status == Waived {
		fmt.Fprintf(b, "%swaived: %s\n", consoleIndent, indentLines(printable(waiverLine(res.Waiver), true), consoleIndent))
		return
	}
	if res.Status != check.Failed && res.Status != check.Warning {
		return
	}
	if res.Remediation != "" {
		fmt.Fprintf(b, "%sfix: %s\n", consoleIndent, indentLines(printable(res.Remediation, true), consoleIndent+"     "))
	}
	if res.Reference != "" {
		fmt.Fprintf(b, "%sref: %s\n", consoleIndent, printable(res.Reference, false))
	}
}

// consoleStatus is the four-character status word and its colour.
func consoleStatus(st check.Status) (word, colour string) {
	switch st {
	case check.Passed:
		return "pass", ansiGreen
	case check.Failed:
		return "FAIL", ansiRed
	case check.Warning:
		return "warn", ansiYellow
	case check.Skipped:
		return "skip", ansiDim
	case Waived:
		return "waiv", ansiYellow
	}
	return "????", ansiRed
}

// indentLines indents every line after the first by indent.
func indentLines(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// targetHeading is the target's name, with its issuer when the name differs.
func targetHeading(t TargetResults) string {
	if t.Name != "" && t.Name != t.Issuer {
		return t.Name + " (" + t.Issuer + ")"
	}
	return t.Issuer
}

// writeConsoleWaivers lists the findings about the waivers file, if any.
func writeConsoleWaivers(b *bytes.Buffer, fs []WaiverFinding, color bool) {
	if len(fs) == 0 {
		return
	}
	b.WriteString("waivers\n")
	for _, f := range fs {
		word, colour := consoleStatus(f.Status)
		if color {
			word = colour + word + ansiReset
		}
		fmt.Fprintf(b, "  %s  %s\n", word, printable(f.Message, false))
	}
	b.WriteByte('\n')
}
