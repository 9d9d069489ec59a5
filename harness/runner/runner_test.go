package runner

import (
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// fake builds a catalog entry whose judge returns f.
func fake(id string, sev check.Severity, f check.Finding, profiles ...check.Profile) check.Check {
	if len(profiles) == 0 {
		profiles = []check.Profile{check.AWS}
	}
	return check.Check{ID: id, Title: "title " + id, Area: "test", Severity: sev, Profiles: profiles,
		Reference: "ref", Remediation: "fix", Judge: func(*evidence.Target) check.Finding { return f }}
}

// TestRun is the package's one Ginkgo run (RunSpecs runs once per process):
// every kind of finding, a panicking judge, a check outside the profile, the
// label filter, strict mode and the order of specs.
func TestRun(t *testing.T) {
	cat := check.Catalog{
		fake("T-001", check.Fail, check.Pass("fine")),
		fake("T-002", check.Fail, check.Failf("broken <here>")),
		fake("T-003", check.Warn, check.Warnf("risky")),
		fake("T-004", check.Info, check.Skip("n/a")),
		{ID: "T-005", Title: "panics", Area: "test", Severity: check.Fail, Profiles: []check.Profile{check.AWS},
			Reference: "r", Remediation: "f", Judge: func(*evidence.Target) check.Finding { panic("judge bug") }},
		fake("T-006", check.Fail, check.Failf("never judged"), check.OIDC),
		{ID: "T-007", Title: "filtered out", Area: "other", Severity: check.Fail, Profiles: []check.Profile{check.AWS},
			Reference: "r", Remediation: "f", Judge: func(*evidence.Target) check.Finding { return check.Failf("filtered") }},
		// Prerequisites: a blocked check's judge must never be called.
		requires(fake("T-008", check.Fail, check.Pass("must not be judged")), "T-002"),
		requires(fake("T-009", check.Fail, check.Pass("must not be judged")), "T-001", "T-008"),
		requires(fake("T-010", check.Fail, check.Pass("judged: a skipped prerequisite does not block")), "T-004", "T-003"),
		requires(fake("T-011", check.Fail, check.Pass("must not be judged")), "T-005"),
		requires(fake("T-012", check.Fail, check.Pass("must not be judged")), "T-007"),
	}
	run := &evidence.Run{Targets: []*evidence.Target{
		{Input: evidence.Input{Issuer: "https://a.test", Profile: "aws"}},
		{Input: evidence.Input{Issuer: "https://b.test", Profile: "aws"}},
	}}
	if err := ValidateLabelFilter("a &&"); err == nil || strings.Contains(err.Error(), "\x1b") || strings.Contains(err.Error(), "\n") {
		t.Errorf("bad filter: %v, want a one-line error without colour", err)
	}
	out, err := Run(run, cat, Config{LabelFilter: "test", Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Targets) != 2 {
		t.Fatalf("%d targets, want 2", len(out.Targets))
	}
	want := map[string]check.Status{
		"T-001": check.Passed, "T-002": check.Failed, "T-003": check.Failed, // strict
		"T-004": check.Skipped, "T-005": check.Failed, "T-006": check.Skipped,
		"T-007": check.Skipped, // label filter
		"T-008": check.Skipped, "T-009": check.Skipped, "T-010": check.Passed,
		"T-011": check.Skipped, "T-012": check.Skipped,
	}
	blockedBy := map[string]string{"T-008": "T-002", "T-009": "T-002", "T-011": "T-005", "T-012": "T-007"}
	for i, tv := range out.Targets {
		if wantTarget := []string{"https://a.test", "https://b.test"}[i]; tv.Target.Input.Issuer != wantTarget {
			t.Errorf("target %d is %s, want %s (the run's order)", i, tv.Target.Input.Issuer, wantTarget)
		}
		if len(tv.Verdicts) != len(cat) {
			t.Fatalf("%d verdicts, want %d", len(tv.Verdicts), len(cat))
		}
		for j, v := range tv.Verdicts {
			if v.ID != cat[j].ID {
				t.Errorf("verdict %d is %s, want %s (catalog order)", j, v.ID, cat[j].ID)
			}
			if v.Status != want[v.ID] {
				t.Errorf("%s %s: status %s (%s), want %s", tv.Target.Input.Issuer, v.ID, v.Status, v.Message, want[v.ID])
			}
			if root, ok := blockedBy[v.ID]; ok && (v.BlockedBy != root || !strings.Contains(v.Message, "not judged: "+root+" failed")) {
				t.Errorf("%s verdict %+v, want it blocked by %s", v.ID, v, root)
			}
			switch v.ID {
			case "T-003":
				if !strings.Contains(v.Message, "strict") {
					t.Errorf("T-003 verdict %q, want the strict failure", v.Message)
				}
			case "T-005":
				if !strings.Contains(v.Fault, "judge bug") || !strings.Contains(v.Message, "judge bug") {
					t.Errorf("T-005 verdict %+v, want the panic as a harness fault", v)
				}
			case "T-006":
				if !strings.Contains(v.Message, "profile") {
					t.Errorf("T-006 verdict %q, want a profile skip", v.Message)
				}
			case "T-007":
				if v.Selected || v.Message != NotSelected {
					t.Errorf("T-007 verdict %+v, want it not selected (label filter)", v)
				}
			}
		}
	}
	if id := out.Fault(); id != "T-005" {
		t.Errorf("Fault() = %q, want T-005", id)
	}
}

// requires sets c's prerequisites.
func requires(c check.Check, ids ...string) check.Check {
	c.Requires = ids
	return c
}

// TestJudgeAllSeverityCeiling: a judge that concludes above its check's
// severity is a harness fault, and a check it blocks names it.
func TestJudgeAllSeverityCeiling(t *testing.T) {
	cat := check.Catalog{
		fake("C-001", check.Info, check.Warnf("an INFO check must not warn")),
		fake("C-002", check.Warn, check.Failf("a WARN check must not fail")),
		fake("C-003", check.Fail, check.Warnf("no WarnsWhen")),
		requires(fake("C-004", check.Fail, check.Pass("must not be judged")), "C-002"),
		fake("C-005", check.Warn, check.Warnf("fine")),
	}
	tg := &evidence.Target{Input: evidence.Input{Issuer: "https://a.test", Profile: "aws"}}
	got := JudgeAll(tg, cat)
	for _, id := range []string{"C-001", "C-002", "C-003"} {
		if f := got[id]; f.Status != check.Failed || !strings.HasPrefix(f.Message, "harness fault: "+id) {
			t.Errorf("%s = %s %q, want a harness fault", id, f.Status, f.Message)
		}
	}
	if f := got["C-004"]; f.BlockedBy != "C-002" {
		t.Errorf("C-004 = %+v, want blocked by C-002", f)
	}
	if f := got["C-005"]; f.Status != check.Warning {
		t.Errorf("C-005 = %+v, want its warning", f)
	}
}
