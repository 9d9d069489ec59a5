package reports

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Rejected reports whether a relying party of any target rejects: the exit
// code follows the relying parties asked for. Targets without a matrix
// count as rejecting when a check failed.
func (r Results) Rejected() bool {
	for _, t := range r.Targets {
		if t.Acceptance == nil {
			if countResults(t.Results).Failed > 0 {
				return true
			}
			continue
		}
		for _, row := range t.Acceptance {
			if row.Verdict == relyingparty.Rejects {
				return true
			}
		}
	}
	return false
}

// blockingText is a row's blocking IDs, or "-".
func blockingText(row relyingparty.Row) string {
	if len(row.Blocking) == 0 {
		return "-"
	}
	return strings.Join(row.Blocking, ", ")
}

// writeConsoleAcceptance writes the acceptance matrix after a target's
// checks:
//
//	relying party   verdict  blocking
//	aws-sts         rejects  TOK-002
//	                assumed: <what was assumed>
//	                login:   <user and groups>
func writeConsoleAcceptance(b *bytes.Buffer, rows []relyingparty.Row) {
	if len(rows) == 0 {
		return
	}
	width := len("relying party")
	for _, row := range rows {
		width = max(width, len(printable(row.RelyingParty, false)))
	}
	indent := strings.Repeat(" ", 2+width+2)
	fmt.Fprintf(b, "\n  %-*s  %-8s %s\n", width, "relying party", "verdict", "blocking")
	for _, row := range rows {
		fmt.Fprintf(b, "  %-*s  %-8s %s\n", width, printable(row.RelyingParty, false), row.Verdict, blockingText(row))
		for _, a := range row.Assumed {
			fmt.Fprintf(b, "%sassumed: %s\n", indent, printable(a, false))
		}
		if row.Login != "" {
			fmt.Fprintf(b, "%slogin:   %s\n", indent, printable(row.Login, false))
		}
		if row.Disagreement != "" {
			fmt.Fprintf(b, "%sDISAGREE: %s\n", indent, printable(row.Disagreement, false))
		}
	}
}

// writeMarkdownAcceptance writes a target's acceptance matrix as a table.
func writeMarkdownAcceptance(b *bytes.Buffer, t TargetResults) {
	if len(t.Acceptance) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### Acceptance: %s\n\n| relying party | verdict | blocking | assumed | login |\n|---|---|---|---|---|\n", mdCell(t.Issuer))
	for _, row := range t.Acceptance {
		verdict := string(row.Verdict)
		switch row.Verdict {
		case relyingparty.Accepts:
			verdict = "✅ accepts"
		case relyingparty.Rejects:
			verdict = "❌ rejects"
		case relyingparty.Unknown:
			verdict = "❔ unknown"
		}
		login := row.Login
		if row.Disagreement != "" {
			login += " DISAGREE: " + row.Disagreement
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdCell(row.RelyingParty), verdict, mdCell(blockingText(row)),
			mdCell(strings.Join(row.Assumed, "\n")), mdCell(login))
	}
}

// junitAcceptanceCase is a relying party's testcase: failed when it
// rejects (naming the blocking checks), skipped when unknown.
func junitAcceptanceCase(row relyingparty.Row) junitCase {
	c := junitCase{Name: "acceptance " + row.RelyingParty, Classname: toolName + ".acceptance", Time: junitTime(0)}
	out := "verdict: " + string(row.Verdict)
	for _, a := range row.Assumed {
		out += "\nassumed: " + a
	}
	if row.Login != "" {
		out += "\nlogin: " + row.Login
	}
	switch row.Verdict {
	case relyingparty.Rejects:
		c.Failure = &junitMessage{Message: row.RelyingParty + " rejects: " + blockingText(row), Type: "REJECTS", Body: xmlText(out)}
	case relyingparty.Unknown:
		c.Skipped = &junitMessage{Message: row.RelyingParty + ": cannot tell (" + strings.Join(row.Assumed, "; ") + ")"}
	}
	c.SystemOut = &junitText{Body: xmlText(out)}
	return c
}
