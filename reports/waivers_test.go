package reports

import (
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// waiverNow is the fixture run's date.
var waiverNow = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// fixtureWaivers: one in force over a failure, one over a warning matched by
// glob, one expired, one that covers nothing.
func fixtureWaivers() []Waiver {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	return []Waiver{
		{Check: "DISC-005", Target: "https://issuer.example", Reason: "migrating issuer URL", Owner: "team-a", Expires: day("2026-12-01")},
		{Check: "DISC-002", Target: "https://*.example", Reason: "CDN redirect, ticket 42", Owner: "team-a", Expires: day("2027-01-31")},
		{Check: "TLS-001", Target: "https://oidc.eks.*", Reason: "old", Owner: "team-b", Expires: day("2026-11-30")},
		{Check: "JWKS-004", Target: "*", Reason: "fixed long ago", Owner: "team-c", Expires: day("2027-06-30")},
	}
}

func TestApplyWaivers(t *testing.T) {
	r := ApplyWaivers(FromRun(fixtureOutcome(), testCatalog(t)), fixtureWaivers(), waiverNow)
	status := map[string]check.Status{}
	for _, tg := range r.Targets {
		for _, res := range tg.Results {
			status[tg.Issuer+" "+res.ID] = res.Status
		}
	}
	for key, want := range map[string]check.Status{
		issuerA + " DISC-005": Waived, // through its last day
		issuerA + " DISC-002": Waived, // glob
		issuerB + " TLS-001":  check.Failed,
		issuerB + " DISC-005": check.Passed, // a pass is never waived
	} {
		if status[key] != want {
			t.Errorf("%s: %s, want %s", key, status[key], want)
		}
	}
	if len(r.Waivers) != 2 || r.Waivers[0].Check != "JWKS-004" || r.Waivers[0].Status != check.Warning ||
		r.Waivers[1].Check != "TLS-001" || r.Waivers[1].Status != check.Failed {
		t.Errorf("waiver findings %+v, want JWKS-004 unused (warning), TLS-001 expired (failed)", r.Waivers)
	}
	if r.Summary.Waived != 2 || !r.Failed() {
		t.Errorf("summary %+v, failed %v: want 2 waived and a failed run", r.Summary, r.Failed())
	}
	// Waiving every failure of a run passes it.
	one := NewResults([]TargetResults{{Name: "a", Results: []Result{{ID: "DISC-001", Status: check.Failed}}}})
	if got := ApplyWaivers(one, []Waiver{{Check: "DISC-001", Target: "a", Reason: "r", Owner: "o", Expires: waiverNow}}, waiverNow); got.Failed() {
		t.Errorf("a run whose only failure is waived failed: %+v", got)
	}
}

// A waiver unused in one shard but used in another is not unused in the merge.
func TestMergeWaiverFindings(t *testing.T) {
	ws := []Waiver{{Check: "DISC-001", Target: "*", Reason: "r", Owner: "o", Expires: waiverNow.AddDate(0, 1, 0)}}
	parts := split(fleet(4), 2)
	for i := range parts {
		parts[i] = ApplyWaivers(parts[i], ws, waiverNow)
	}
	// fleet fails the odd targets: shard 1 uses the waiver, shard 0 does not.
	if len(parts[0].Waivers) != 1 || len(parts[1].Waivers) != 0 {
		t.Fatalf("shard findings %+v / %+v", parts[0].Waivers, parts[1].Waivers)
	}
	got, err := Merge(parts)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Waivers) != 0 {
		t.Errorf("merged waiver findings %+v, want none (the waiver was used)", got.Waivers)
	}
}
