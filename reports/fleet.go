package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// FleetThreshold is how many targets a run may have before the console
// shows one line per target instead of every check (WriteConsoleAuto).
const FleetThreshold = 5

// WriteConsoleAuto writes the full console listing for a few targets and
// the fleet listing for more than FleetThreshold.
func WriteConsoleAuto(w io.Writer, r Results, color bool) error {
	if len(r.Targets) > FleetThreshold {
		return WriteFleetConsole(w, r, color)
	}
	return WriteConsole(w, r, color)
}

// WriteFleetConsole writes r for a fleet: one line per target, in order,
//
//	FAIL  <name>  <issuer>  N passed, N failed, N warnings, N skipped  DISC-001 JWKS-004
//
// (pass, FAIL or warn, the failing and warning IDs, then the relying parties
// that reject or whose verdict is unknown, as "  rejected by aws-sts;
// unknown: azure-wif"), then each target's
// failures, warnings and waived findings in detail as WriteConsole shows
// them, then the waiver findings and the summary line.
func WriteFleetConsole(w io.Writer, r Results, color bool) error {
	var b bytes.Buffer
	for _, t := range r.Targets {
		c := countResults(t.Results)
		st := check.Passed
		var ids []string
		for _, res := range t.Results {
			if res.Status == check.Failed || res.Status == check.Warning {
				ids = append(ids, res.ID)
			}
		}
		switch {
		case c.Failed > 0:
			st = check.Failed
		case c.Warnings > 0:
			st = check.Warning
		}
		word, colour := consoleStatus(st)
		if color {
			word = colour + word + ansiReset
		}
		name := printable(t.Label(), false)
		line := fmt.Sprintf("%s  %s", word, name)
		if t.Issuer != t.Label() {
			line += "  " + printable(t.Issuer, false)
		}
		line += "  " + summaryLine(c)
		if len(ids) > 0 {
			line += "  " + strings.Join(ids, " ")
		}
		line += fleetVerdicts(t.Acceptance)
		b.WriteString(line + "\n")
	}
	details := false
	for _, t := range r.Targets {
		header := false
		for _, res := range t.Results {
			if res.Status != check.Failed && res.Status != check.Warning && res.Status != Waived {
				continue
			}
			if !details {
				b.WriteString("\nfailures, warnings and waived findings\n")
				details = true
			}
			if !header {
				fmt.Fprintf(&b, "\n%s\n", printable(targetHeading(t), false))
				header = true
			}
			writeConsoleResult(&b, res, color)
		}
	}
	b.WriteByte('\n')
	writeConsoleWaivers(&b, r.Waivers, color)
	fmt.Fprintf(&b, "%d targets: %s\n", len(r.Targets), summaryLine(r.Summary))
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("reports: write console report: %w", err)
	}
	return nil
}

// fleetVerdicts names the relying parties of a target's matrix that reject
// or whose verdict is unknown, for its fleet line ("" when all accept).
func fleetVerdicts(rows []relyingparty.Row) string {
	var rejects, unknown []string
	for _, row := range rows {
		switch row.Verdict {
		case relyingparty.Rejects:
			rejects = append(rejects, printable(row.RelyingParty, false))
		case relyingparty.Unknown:
			unknown = append(unknown, printable(row.RelyingParty, false))
		}
	}
	var parts []string
	if len(rejects) > 0 {
		parts = append(parts, "rejected by "+strings.Join(rejects, ", "))
	}
	if len(unknown) > 0 {
		parts = append(parts, "unknown: "+strings.Join(unknown, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return "  " + strings.Join(parts, "; ")
}
