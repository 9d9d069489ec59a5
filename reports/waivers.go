package reports

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// Waived is the status of a failure or warning that a waiver covers: it is
// reported, with the waiver, and does not fail the run.
const Waived check.Status = "waived"

// Waiver accepts a known failure or warning of one check on the targets
// whose name (or issuer) matches a glob, for a reason, by an owner, until a
// date (the waiver holds through that day, UTC).
type Waiver struct {
	Check   string
	Target  string
	Reason  string
	Owner   string
	Expires time.Time
}

// WaiverNote is the waiver recorded on a waived result.
type WaiverNote struct {
	Reason, Owner string
	Expires       time.Time
}

// WaiverFinding is a finding about a waiver itself: expired (failed: the
// failure it covered is a failure again) or unused (warning: nothing it
// covers failed, so it can go).
type WaiverFinding struct {
	Check, Target, Owner string
	Expires              time.Time
	Status               check.Status
	Message              string
}

// Matches reports whether w covers check id on target t (its name or issuer).
func (w Waiver) Matches(id string, t TargetResults) bool {
	if w.Check != id {
		return false
	}
	for _, s := range []string{t.Label(), t.Issuer} {
		if ok, _ := path.Match(w.Target, s); ok {
			return true
		}
	}
	return false
}

// expired reports whether w no longer holds at now.
func (w Waiver) expired(now time.Time) bool {
	return !now.UTC().Before(w.Expires.AddDate(0, 0, 1))
}

// ApplyWaivers marks the failures and warnings that a waiver in force
// covers as Waived, and reports each expired waiver (failed) and each waiver
// in force that covered nothing (warning) as a WaiverFinding. Findings come
// sorted by check, target and status, so a merge of shards writes them as
// one run would.
func ApplyWaivers(r Results, ws []Waiver, now time.Time) Results {
	used := make([]bool, len(ws))
	targets := make([]TargetResults, len(r.Targets))
	for i, t := range r.Targets {
		t.Results = slices.Clone(t.Results)
		for j := range t.Results {
			res := &t.Results[j]
			if res.Status != check.Failed && res.Status != check.Warning {
				continue
			}
			for k, w := range ws {
				if w.expired(now) || !w.Matches(res.ID, t) {
					continue
				}
				used[k] = true
				res.Message = fmt.Sprintf("(waived, was %s) %s", res.Status, res.Message)
				res.Status = Waived
				res.Waiver = &WaiverNote{Reason: w.Reason, Owner: w.Owner, Expires: w.Expires}
				break
			}
		}
		targets[i] = t
	}
	out := NewResults(targets)
	out.Shard = r.Shard
	out.Waivers = slices.Clone(r.Waivers)
	for k, w := range ws {
		f := WaiverFinding{Check: w.Check, Target: w.Target, Owner: w.Owner, Expires: w.Expires}
		switch {
		case w.expired(now):
			f.Status = check.Failed
			f.Message = fmt.Sprintf("the waiver of %s on %s (%s) expired on %s: renew it with a reason or fix the issuer", w.Check, w.Target, w.Owner, w.Expires.Format(time.DateOnly))
		case !used[k]:
			f.Status = check.Warning
			f.Message = fmt.Sprintf("the waiver of %s on %s (%s) covered nothing in this run: remove it", w.Check, w.Target, w.Owner)
		default:
			continue
		}
		out.Waivers = append(out.Waivers, f)
	}
	sortWaiverFindings(out.Waivers)
	out.Summary = summarize(out.Targets)
	return out
}

// sortWaiverFindings orders findings by check, target, then status.
func sortWaiverFindings(fs []WaiverFinding) {
	slices.SortStableFunc(fs, func(a, b WaiverFinding) int {
		if c := strings.Compare(a.Check, b.Check); c != 0 {
			return c
		}
		if c := strings.Compare(a.Target, b.Target); c != 0 {
			return c
		}
		return strings.Compare(string(a.Status), string(b.Status))
	})
}

// mergeWaiverFindings joins the waiver findings of shards: an expired waiver
// is one finding; a waiver is unused only if it was unused in every shard.
func mergeWaiverFindings(parts []Results) []WaiverFinding {
	type key struct {
		check, target string
		status        check.Status
	}
	count := map[key]int{}
	var out []WaiverFinding
	for _, p := range parts {
		for _, f := range p.Waivers {
			k := key{f.Check, f.Target, f.Status}
			if count[k]++; count[k] == 1 {
				out = append(out, f)
			}
		}
	}
	out = slices.DeleteFunc(out, func(f WaiverFinding) bool {
		return f.Status == check.Warning && count[key{f.Check, f.Target, f.Status}] < len(parts)
	})
	sortWaiverFindings(out)
	return out
}
