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
	// Waiver is the waiver that covers a Waived result.
	Waiver *WaiverNote
}

// TargetResults is every result for one target, in catalog order.
type TargetResults struct {
	// Name names the target (a targets file's name, or the issuer).
	Name   string
	Issuer string
	// Index is the target's position in the run's full list of targets.
	Index int
	// Evidence is what the HTML report shows of the probe; nil for a
	// report read back from JSON.
	Evidence *TargetEvidence
	Results  []Result
	// Acceptance is the acceptance matrix: a row per relying party asked
	// for (nil when none was computed).
	Acceptance []relyingparty.Row
}

// Label is how reports name the target: its name, or its issuer.
func (t TargetResults) Label() string {
	if t.Name != "" {
		return t.Name
	}
	return t.Issuer
}

// Summary counts results by status over every target.
type Summary struct {
	Passed, Failed, Warnings, Skipped, Waived int
}

// Results is a whole run: the targets in the order they were first seen and
// the counts over all of them.
type Results struct {
	Targets []TargetResults
	Summary Summary
	// Shard is the part of a fleet these results cover; nil for a whole run
	// (and for the merge of every shard).
	Shard *Shard
	// Waivers are the findings about the --waivers file: expired and unused waivers.
	Waivers []WaiverFinding
}

// Shard says which part of a fleet a run covered: Index of Count (1-based),
// out of Total targets in the whole list.
type Shard struct {
	Index, Count, Total int
}

// NewResults returns Results for the given targets with their Summary
// counted, for code that assembles targets itself (merging shards, tests).
func NewResults(targets []TargetResults) Results {
	return Results{Targets: targets, Summary: summarize(targets)}
}

// Failed reports whether any result failed, or a waiver expired. It looks
// at the results, not at Summary, so a Results assembled by hand cannot
// disagree with itself. A waived result does not fail the run.
func (r Results) Failed() bool {
	for _, w := range r.Waivers {
		if w.Status == check.Failed {
			return true
		}
	}
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

// count adds one result of the given status; a status outside the five known
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
	case Waived:
		s.Waived++
	}
}
