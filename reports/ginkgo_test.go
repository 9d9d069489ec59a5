package reports

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

func TestFromGinkgoOneSpec(t *testing.T) {
	const iss = "https://one.example"
	disc5 := Result{
		ID: "DISC-005", Title: "issuer equals the probed issuer URL", Area: "discovery", Severity: check.Fail,
		Reference: "OIDD §4.3", Duration: 12 * time.Millisecond,
		Remediation: "Set \"issuer\" to the exact URL, trailing slash included.\nThen restart the API server.",
	}
	with := func(st check.Status, msg string) Result {
		r := disc5
		r.Status, r.Message = st, msg
		return r
	}
	const text = "DISC-005 issuer equals the probed issuer URL"
	tests := []struct {
		name       string
		spec       types.SpecReport
		wantIssuer string
		want       Result
	}{
		{"passed verdict", itSpec(iss, text, withVerdict(iss, "DISC-005", check.Passed, "matches")),
			iss, with(check.Passed, "matches")},
		{"failed verdict", itSpec(iss, text, withVerdict(iss, "DISC-005", check.Failed, "differs"), withState(types.SpecStateFailed, "differs")),
			iss, with(check.Failed, "differs")},
		{"failed verdict keeps its message over Ginkgo's", itSpec(iss, text, withVerdict(iss, "DISC-005", check.Failed, "differs"), withState(types.SpecStateTimedout, "A node timeout occurred")),
			iss, with(check.Failed, "differs")},
		{"warning verdict", itSpec(iss, text, withVerdict(iss, "DISC-005", check.Warning, "risky")),
			iss, with(check.Warning, "risky")},
		{"skipped verdict", itSpec(iss, text, withVerdict(iss, "DISC-005", check.Skipped, "DISC-001 failed"), withState(types.SpecStateSkipped, "DISC-001 failed")),
			iss, with(check.Skipped, "DISC-001 failed")},
		{"filtered out", itSpec(iss, text, withState(types.SpecStateSkipped, "")),
			iss, with(check.Skipped, "not selected")},
		{"skipped by Ginkgo with a message", itSpec(iss, text, withState(types.SpecStateSkipped, "interrupted by user")),
			iss, with(check.Skipped, "interrupted by user")},
		{"pending", itSpec(iss, text, withState(types.SpecStatePending, "")),
			iss, with(check.Skipped, "not selected")},
		{"panicked before a verdict", itSpec(iss, text, withPanic("boom")),
			iss, with(check.Failed, "Test Panicked: boom")},
		{"panicked after a passed verdict", itSpec(iss, text, withVerdict(iss, "DISC-005", check.Passed, "matches"), withPanic("boom")),
			iss, with(check.Failed, "Test Panicked: boom")},
		{"timed out", itSpec(iss, text, withState(types.SpecStateTimedout, "A node timeout occurred")),
			iss, with(check.Failed, "A node timeout occurred")},
		{"interrupted without a message", itSpec(iss, text, withState(types.SpecStateInterrupted, "")),
			iss, with(check.Failed, "spec interrupted")},
		{"aborted after a warning", itSpec(iss, text, withVerdict(iss, "DISC-005", check.Warning, "risky"), withState(types.SpecStateAborted, "aborted")),
			iss, with(check.Failed, "aborted")},
		{"verdict read back from JSON", itSpec(iss, text, withRehydratedVerdict(iss, "DISC-005", check.Warning, "risky")),
			iss, with(check.Warning, "risky")},
		{"last verdict wins, other entries ignored", itSpec(iss, text,
			withVerdict(iss, "DISC-005", check.Failed, "first"),
			func(s *types.SpecReport) {
				s.ReportEntries = append(s.ReportEntries, types.ReportEntry{Name: "other", Value: types.WrapEntryValue(check.Verdict{Status: check.Failed})})
			},
			withVerdict(iss, "DISC-005", check.Passed, "second")),
			iss, with(check.Passed, "second")},
		{"unknown verdict status", itSpec(iss, text, withVerdict(iss, "DISC-005", "maybe", "hmm")),
			iss, with(check.Failed, `verdict has unknown status "maybe": hmm`)},
		{"verdict entry without a value", itSpec(iss, text, func(s *types.SpecReport) {
			s.ReportEntries = append(s.ReportEntries, types.ReportEntry{Name: check.ReportEntryName})
		}), iss, with(check.Failed, `verdict has unknown status "": `)},
		{"undecodable verdict", itSpec(iss, text, func(s *types.SpecReport) {
			s.ReportEntries = append(s.ReportEntries, types.ReportEntry{Name: check.ReportEntryName, Value: types.ReportEntryValue{AsJSON: `"a string"`}})
		}), iss, with(check.Failed, `reports: decode verdict of "DISC-005 issuer equals the probed issuer URL": json: cannot unmarshal string into Go value of type check.Verdict`)},
		{"passed without a verdict", itSpec(iss, text),
			iss, with(check.Failed, "no verdict recorded (spec passed)")},
		{"ID not in the catalog", itSpec(iss, "XTRA-009  something new ", withVerdict(iss, "XTRA-009", check.Passed, "ok")),
			iss, Result{ID: "XTRA-009", Title: "something new", Status: check.Passed, Message: "ok", Duration: 12 * time.Millisecond}},
		{"no container: issuer from the verdict", func() types.SpecReport {
			s := itSpec(iss, text, withVerdict("https://from.verdict", "DISC-005", check.Passed, "matches"))
			s.ContainerHierarchyTexts = nil
			return s
		}(), "https://from.verdict", with(check.Passed, "matches")},
	}
	cat := testCatalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromGinkgo(types.Report{SpecReports: types.SpecReports{tt.spec}}, cat)
			want := NewResults([]TargetResults{{Issuer: tt.wantIssuer, Results: []Result{tt.want}}})
			if !reflect.DeepEqual(got, want) {
				t.Errorf("FromGinkgo:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestFromGinkgoFixture(t *testing.T) {
	got := FromGinkgo(fixtureReport(), testCatalog(t))

	var order []string
	for _, tr := range got.Targets {
		var ids []string
		for _, r := range tr.Results {
			ids = append(ids, r.ID+"="+string(r.Status))
		}
		order = append(order, tr.Issuer+": "+strings.Join(ids, " "))
	}
	wantOrder := []string{
		issuerA + ": DISC-001=passed DISC-002=warning DISC-005=failed TLS-001=passed TLS-003=skipped JWKS-004=skipped XTRA-001=passed",
		issuerB + ": DISC-001=failed DISC-005=passed TLS-001=failed",
	}
	if !reflect.DeepEqual(order, wantOrder) {
		t.Errorf("targets and results:\n got %q\nwant %q", order, wantOrder)
	}
	if want := (Summary{Passed: 4, Failed: 3, Warnings: 1, Skipped: 2}); got.Summary != want {
		t.Errorf("Summary = %+v, want %+v", got.Summary, want)
	}
	if !got.Failed() {
		t.Error("Failed() = false, want true")
	}
}

// A report that went through JSON (a parallel run, or one read from Ginkgo's
// --json-report) gives the same Results as the in-process one.
func TestFromGinkgoRehydratedReport(t *testing.T) {
	orig := fixtureReport()
	data, err := json.Marshal(orig)
	if err != nil {
		t.Fatal(err)
	}
	var back types.Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.SpecReports[1].ReportEntries[0].Value.AsJSON == "" {
		t.Fatal("AsJSON is empty after a JSON round trip; the test does not test what it says")
	}
	cat := testCatalog(t)
	if got, want := FromGinkgo(back, cat), FromGinkgo(orig, cat); !reflect.DeepEqual(got, want) {
		t.Errorf("rehydrated report:\n got %+v\nwant %+v", got, want)
	}
}

func TestResultsFailed(t *testing.T) {
	tests := []struct {
		name string
		r    Results
		want bool
	}{
		{"empty", Results{}, false},
		{"passes, warnings and skips", NewResults([]TargetResults{{Issuer: "a", Results: []Result{
			{Status: check.Passed}, {Status: check.Warning}, {Status: check.Skipped}}}}), false},
		{"a failure in the second target", NewResults([]TargetResults{
			{Issuer: "a", Results: []Result{{Status: check.Passed}}},
			{Issuer: "b", Results: []Result{{Status: check.Failed}}}}), true},
		{"a failure the summary does not count", Results{Targets: []TargetResults{{Results: []Result{{Status: check.Failed}}}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Failed(); got != tt.want {
				t.Errorf("Failed() = %v, want %v", got, tt.want)
			}
		})
	}
}
