package reports

import (
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Result is the outcome of one check against one target, with the catalog's
// description of the check.
type Result struct {
	ID       string
	Title    string
	Area     string
	Severity check.Severity
	Status   check.Status
	Message  string
	// BlockedBy is the failed check that kept a skipped one from being judged.
	BlockedBy   string
	Remediation string
	Reference   string
	Duration    time.Duration
}

// TargetResults is every result for one issuer, in catalog order.
type TargetResults struct {
	Issuer  string
	Results []Result
	// Acceptance is the acceptance matrix: a row per relying party asked
	// for (nil when none was computed).
	Acceptance []relyingparty.Row
}

// Summary counts results by status over every target.
type Summary struct {
	Passed, Failed, Warnings, Skipped int
}

// Results is a whole run: the targets in the order they were first seen and
// the counts over all of them.
type Results struct {
	Targets []TargetResults
	Summary Summary
}

// NewResults returns Results for the given targets with their Summary
// counted, for code that assembles targets itself (merging shards, tests).
func NewResults(targets []TargetResults) Results {
	return Results{Targets: targets, Summary: summarize(targets)}
}

// Failed reports whether any result failed. It looks at the results, not at
// Summary, so a Results assembled by hand cannot disagree with itself.
func (r Results) Failed() bool {
	for _, t := range r.Targets {
		for _, res := range t.Results {
			if res.Status == check.Failed {
				return true
			}
		}
	}
	return false
}

// summarize counts the results of every target by status.
func summarize(targets []TargetResults) Summary {
	var s Summary
	for _, t := range targets {
		for _, res := range t.Results {
			s.count(res.Status)
		}
	}
	return s
}

// countResults counts one target's results by status.
func countResults(results []Result) Summary {
	var s Summary
	for _, res := range results {
		s.count(res.Status)
	}
	return s
}

// count adds one result of the given status; a status outside the four known
// ones is not counted.
func (s *Summary) count(st check.Status) {
	switch st {
	case check.Passed:
		s.Passed++
	case check.Failed:
		s.Failed++
	case check.Warning:
		s.Warnings++
	case check.Skipped:
		s.Skipped++
	}
}
