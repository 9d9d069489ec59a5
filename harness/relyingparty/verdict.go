package relyingparty

import (
	"fmt"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Verdict is a relying party's answer on a target.
type Verdict string

// Verdicts of the acceptance matrix.
const (
	Accepts Verdict = "accepts"
	Rejects Verdict = "rejects"
	Unknown Verdict = "unknown"
)

// Outcome is what the matrix reads of one check's result.
type Outcome struct {
	Status    check.Status
	BlockedBy string
	Message   string
}

// Row is one relying party's line of the acceptance matrix for one target.
type Row struct {
	RelyingParty string  `json:"relying_party"`
	Verdict      Verdict `json:"verdict"`
	// Blocking are the root causes of a refusal: the failed checks it reads
	// (a check skipped because another failed is not one; its root is).
	Blocking []string `json:"blocking"`
	// Assumed says what was assumed for inputs not given, and, for an
	// unknown verdict, what could not be judged.
	Assumed []string `json:"assumed"`
	// Login is who the token would log in as, where the party is a login.
	Login string `json:"login,omitempty"`
	// Disagreement is set when the party's own verifier, run in-process,
	// answered otherwise than the checks: a harness bug to report.
	Disagreement string `json:"disagreement,omitempty"`
}

// Judge is p's row for target t, whose checks ended as outcomes (by ID)
// under catalog cat. A failed check p reads is a root cause and p rejects;
// else a needed check not judged, or a doubted check that warned, makes
// the verdict unknown; else p accepts.
func (p Party) Judge(t *evidence.Target, cat check.Catalog, outcomes map[string]Outcome, all Registry) Row {
	row := Row{RelyingParty: p.Name, Blocking: []string{}, Assumed: []string{}}
	if p.Assumed != nil {
		row.Assumed = append(row.Assumed, p.Assumed(t)...)
	}
	reads := p.reads(cat, all)
	for _, c := range cat {
		if o, ok := outcomes[c.ID]; ok && reads[c.ID] && o.Status == check.Failed {
			row.Blocking = append(row.Blocking, c.ID)
		}
	}
	slices.Sort(row.Blocking)
	if len(row.Blocking) > 0 {
		row.Verdict = Rejects
		if p.Crosscheck != nil {
			row.Disagreement = p.Crosscheck(t, row)
		}
		return row
	}
	row.Verdict = Accepts
	// Needed checks not judged, grouped by why.
	var reasons []string
	unjudged := map[string][]string{}
	for _, id := range p.Needs {
		o, ok := outcomes[id]
		why := ""
		switch {
		case !ok:
			why = "not run (filtered out)"
		case o.Status != check.Skipped:
			continue
		case o.BlockedBy != "":
			why = fmt.Sprintf("not judged: %s failed, a rule %s does not apply", o.BlockedBy, p.Name)
		default:
			why = "not judged: " + o.Message
		}
		if _, seen := unjudged[why]; !seen {
			reasons = append(reasons, why)
		}
		unjudged[why] = append(unjudged[why], id)
	}
	for _, why := range reasons {
		row.Verdict = Unknown
		row.Assumed = append(row.Assumed, strings.Join(unjudged[why], ", ")+" "+why)
	}
	// Doubted checks that warned: the party's answer is not known.
	for _, id := range p.Doubts {
		if o, ok := outcomes[id]; ok && o.Status == check.Warning {
			row.Verdict = Unknown
			row.Assumed = append(row.Assumed, fmt.Sprintf("%s warned on a rule whose behaviour is unconfirmed: %s", id, o.Message))
		}
	}
	if p.Login != nil && row.Verdict == Accepts {
		row.Login = p.Login(t)
	}
	if p.Crosscheck != nil {
		row.Disagreement = p.Crosscheck(t, row)
	}
	return row
}

// reads returns the IDs of cat p reads: its own checks and the shared ones
// (Reads, or every check of its profile), never another party's own checks.
func (p Party) reads(cat check.Catalog, all Registry) map[string]bool {
	out := map[string]bool{}
	for _, c := range cat {
		switch {
		case p.owns(c.ID):
			out[c.ID] = true
		case all.owner(c.ID) != "":
		case p.Reads == nil:
			out[c.ID] = c.AppliesTo(p.Profile)
		default:
			out[c.ID] = slices.Contains(p.Reads, c.ID)
		}
	}
	return out
}
