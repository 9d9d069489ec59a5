package reports

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
)

// FromRun builds Results from the runner's verdicts, as values: targets in the
// run's order, checks in the runner's (the catalog's) order. Title, area,
// severity, remediation and reference come from cat; a verdict whose ID is
// not in cat keeps its ID alone. A status outside the four known ones fails
// the check: a report never claims a pass nothing judged.
func FromRun(out runner.Outcome, cat check.Catalog) Results {
	byID := make(map[string]check.Check, len(cat))
	for _, c := range cat {
		byID[c.ID] = c
	}
	targets := make([]TargetResults, 0, len(out.Targets))
	for _, tv := range out.Targets {
		in := tv.Target.Input
		t := TargetResults{Name: in.DisplayName(), Issuer: in.Issuer, Index: in.Index, Evidence: SummarizeEvidence(tv.Target),
			Results: make([]Result, 0, len(tv.Verdicts))}
		for _, v := range tv.Verdicts {
			t.Results = append(t.Results, fromVerdict(v, byID))
		}
		targets = append(targets, t)
	}
	return NewResults(targets)
}

// fromVerdict is one Result: the verdict with the catalog's description.
func fromVerdict(v runner.Verdict, byID map[string]check.Check) Result {
	res := Result{ID: v.ID, Status: v.Status, Message: v.Message, BlockedBy: v.BlockedBy, Duration: v.Duration}
	if c, ok := byID[v.ID]; ok {
		res.Title, res.Area, res.Severity, res.Remediation, res.Reference = c.Title, c.Area, c.Severity, c.Remediation, c.Reference
	}
	if !knownStatus(res.Status) {
		res.Status, res.Message = check.Failed, "verdict has unknown status "+string(v.Status)+": "+v.Message
	}
	if res.Status != check.Skipped {
		res.BlockedBy = ""
	}
	return res
}

// knownStatus reports whether st is one of the statuses reports understand.
func knownStatus(st check.Status) bool {
	switch st {
	case check.Passed, check.Failed, check.Warning, check.Skipped:
		return true
	}
	return false
}
