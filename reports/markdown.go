package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// WriteMarkdown writes r as GitHub-flavoured Markdown fit for
// $GITHUB_STEP_SUMMARY: the summary line, a table of status counts with a row
// per target, then for each target with failures or warnings a table of them
// (status, ID, title, message, fix), or a line saying there are none. Text in
// cells is escaped: HTML characters become entities (so an issuer cannot
// inject markup), | and \ are backslash-escaped, and newlines become <br>.
func WriteMarkdown(w io.Writer, r Results) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "## %s\n\n**%s**\n", toolName, summaryLine(r.Summary))
	if len(r.Targets) > 0 {
		b.WriteString("\n| target | passed | failed | warnings | skipped |\n|---|---:|---:|---:|---:|\n")
		for _, t := range r.Targets {
			c := countResults(t.Results)
			fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", mdCell(targetHeading(t)), c.Passed, c.Failed, c.Warnings, c.Skipped)
		}
	}
	if len(r.Targets) > 0 && r.Summary.Failed+r.Summary.Warnings == 0 {
		b.WriteString("\nNo failures or warnings.\n")
	}
	for _, t := range r.Targets {
		writeMarkdownAcceptance(&b, t)
		writeMarkdownFindings(&b, t)
	}
	if len(r.Waivers) > 0 {
		b.WriteString("\n### waivers\n\n| status | message |\n|---|---|\n")
		for _, f := range r.Waivers {
			word := "⚠️ warn"
			if f.Status == check.Failed {
				word = "❌ FAIL"
			}
			fmt.Fprintf(&b, "| %s | %s |\n", word, mdCell(f.Message))
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("reports: write markdown report: %w", err)
	}
	return nil
}

// writeMarkdownFindings writes the failures and warnings of one target, in
// catalog order, or nothing when it has none.
func writeMarkdownFindings(b *bytes.Buffer, t TargetResults) {
	header := false
	for _, res := range t.Results {
		var status string
		switch res.Status {
		case check.Failed:
			status = "❌ FAIL"
		case check.Warning:
			status = "⚠️ warn"
		case Waived:
			status = "🏳️ waived"
		default:
			continue
		}
		if !header {
			fmt.Fprintf(b, "\n### %s\n\n| status | ID | title | message | fix |\n|---|---|---|---|---|\n", mdCell(targetHeading(t)))
			header = true
		}
		fix := res.Remediation
		if res.Status == Waived {
			fix = "waived: " + waiverLine(res.Waiver)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n",
			status, mdCell(res.ID), mdCell(res.Title), mdCell(res.Message), mdCell(fix))
	}
}

// mdEscaper escapes text for a Markdown table cell. Backslashes are doubled
// so a backslash in the text cannot undo the escape of a pipe after it.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`,
	"|", `\|`,
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	"\n", "<br>",
)

// mdCell makes s safe for one Markdown table cell (or heading): one line, no
// markup, no control characters.
func mdCell(s string) string {
	return mdEscaper.Replace(printable(strings.TrimSpace(s), true))
}
