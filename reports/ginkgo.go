package reports

import (
	"slices"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// FromGinkgo builds Results from the report of a run, reading each It spec
// the way the runner writes it:
//
//   - the spec's leaf text is "<ID> <title>";
//   - the innermost container text is the target's issuer URL, exactly;
//   - a report entry named [check.ReportEntryName] holds the [check.Verdict].
//
// Title, area, severity, remediation and reference come from cat; a spec whose
// ID is not in cat is kept with the ID and title its text gives. Other node
// types (setup, report nodes) are ignored. Targets keep the order in which the
// report first mentions them; results within a target follow cat, and results
// for IDs not in cat come last in report order.
//
// How a spec becomes a status is described on [outcome]: in short, the verdict
// decides unless Ginkgo saw a failure the verdict does not show (a panic or a
// timeout in a judgement fails the check), and a spec with no verdict that
// Ginkgo skipped was not selected.
func FromGinkgo(r types.Report, cat check.Catalog) Results {
	var targets []TargetResults
	index := map[string]int{}
	for _, spec := range r.SpecReports {
		if spec.LeafNodeType != types.NodeTypeIt {
			continue
		}
		issuer, res := fromSpec(spec, cat)
		i, ok := index[issuer]
		if !ok {
			i = len(targets)
			index[issuer] = i
			targets = append(targets, TargetResults{Issuer: issuer})
		}
		targets[i].Results = append(targets[i].Results, res)
	}
	rank := catalogRank(cat)
	for i := range targets {
		sortByCatalog(targets[i].Results, rank)
	}
	return NewResults(targets)
}

// catalogRank maps each check ID to its position in the catalog.
func catalogRank(cat check.Catalog) map[string]int {
	rank := make(map[string]int, len(cat))
	for i, c := range cat {
		rank[c.ID] = i
	}
	return rank
}

// sortByCatalog puts results in catalog order; IDs not in the catalog go last,
// in the order they came.
func sortByCatalog(results []Result, rank map[string]int) {
	pos := func(id string) int {
		if i, ok := rank[id]; ok {
			return i
		}
		return len(rank)
	}
	slices.SortStableFunc(results, func(a, b Result) int { return pos(a.ID) - pos(b.ID) })
}
