package runner

import (
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

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
	report, err := Run(run, cat, Config{LabelFilter: "test", Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		target, id string
		state      types.SpecState
		verdict    string
	}
	var specs []got
	for _, s := range report.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		g := got{target: s.ContainerHierarchyTexts[len(s.ContainerHierarchyTexts)-1], id: strings.Fields(s.LeafNodeText)[0], state: s.State}
		for _, e := range s.ReportEntries {
			if e.Name == check.ReportEntryName {
				g.verdict = e.Value.String()
			}
		}
		specs = append(specs, g)
	}
	if len(specs) != 2*len(cat) {
		t.Fatalf("%d specs, want %d", len(specs), 2*len(cat))
	}
	want := map[string]types.SpecState{
		"T-001": types.SpecStatePassed, "T-002": types.SpecStateFailed, "T-003": types.SpecStateFailed, // strict
		"T-004": types.SpecStateSkipped, "T-005": types.SpecStatePanicked, "T-006": types.SpecStateSkipped,
		"T-007": types.SpecStateSkipped, // label filter
		"T-008": types.SpecStateSkipped, "T-009": types.SpecStateSkipped, "T-010": types.SpecStatePassed,
		"T-011": types.SpecStateSkipped, "T-012": types.SpecStateSkipped,
	}
	blockedBy := map[string]string{"T-008": "T-002", "T-009": "T-002", "T-011": "T-005", "T-012": "T-007"}
	for i, s := range specs {
		if wantTarget := []string{"https://a.test", "https://b.test"}[i/len(cat)]; s.target != wantTarget || s.id != cat[i%len(cat)].ID {
			t.Errorf("spec %d is %s/%s, want %s/%s (declaration order)", i, s.target, s.id, wantTarget, cat[i%len(cat)].ID)
		}
		if s.state != want[s.id] {
			t.Errorf("%s %s: state %s, want %s", s.target, s.id, s.state, want[s.id])
		}
	}
	for _, s := range specs {
		switch s.id {
		case "T-003":
			if !strings.Contains(s.verdict, "strict") {
				t.Errorf("T-003 verdict %q, want the strict failure", s.verdict)
			}
		case "T-006":
			if !strings.Contains(s.verdict, "profile") {
				t.Errorf("T-006 verdict %q, want a profile skip", s.verdict)
			}
		case "T-007":
			if s.verdict != "" {
				t.Errorf("T-007 was judged (%q) though filtered out", s.verdict)
			}
		}
		if root, ok := blockedBy[s.id]; ok {
			want := "BlockedBy:" + root
			if !strings.Contains(s.verdict, want) || !strings.Contains(s.verdict, "not judged: "+root+" failed") {
				t.Errorf("%s verdict %s, want it blocked by %s", s.id, s.verdict, root)
			}
		}
	}
}

// requires sets c's prerequisites.
func requires(c check.Check, ids ...string) check.Check {
	c.Requires = ids
	return c
}
