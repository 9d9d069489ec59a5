package runner

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// JudgeAll judges every check of cat against t as a run does, prerequisites
// first (a check whose prerequisite failed is Blocked by the root), and
// returns the findings by check ID. A judge's panic is reported as a failed
// finding of that check. It is for tests and tools that need a run's
// verdicts without the reporting (the property test of the STS model).
func JudgeAll(t *evidence.Target, cat check.Catalog) map[string]check.Finding {
	r := newResolver(t, cat)
	out := make(map[string]check.Finding, len(cat))
	for _, c := range cat {
		o := r.resolve(c.ID)
		if o.panicked {
			o.finding = check.Failf("the judge panicked: %v", o.panicVal)
		}
		out[c.ID] = o.finding
	}
	return out
}
