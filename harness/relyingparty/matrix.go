package relyingparty

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Matrix is the acceptance matrix of one target: a row per party asked
// for, in registry order. all is the whole registry (to tell another
// party's own checks from shared ones).
func (all Registry) Matrix(t *evidence.Target, cat check.Catalog, outcomes map[string]Outcome, asked Registry) []Row {
	rows := make([]Row, 0, len(asked))
	for _, p := range asked {
		rows = append(rows, p.Judge(t, cat, outcomes, all))
	}
	return rows
}

// Outcomes turns findings by ID into the outcomes the matrix reads.
func Outcomes(findings map[string]check.Finding) map[string]Outcome {
	out := make(map[string]Outcome, len(findings))
	for id, f := range findings {
		out[id] = Outcome{Status: f.Status, BlockedBy: f.BlockedBy, Message: f.Message}
	}
	return out
}

// Asked returns the parties the target asks for, in registry order (none
// recorded: the default, aws-sts).
func (all Registry) Asked(in evidence.Input) Registry {
	var out Registry
	for _, p := range all {
		if _, ok := in.Party(p.Name); ok {
			out = append(out, p)
		}
	}
	return out
}
