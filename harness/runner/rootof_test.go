package runner

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// rootedAt is c with a RootOf naming roots.
func rootedAt(c check.Check, roots ...string) check.Check {
	c.RootOf = func(*evidence.Target) []string { return roots }
	return c
}

// TestRootOf: a failed check whose RootOf names a failed check is skipped,
// blocked by that root (or the root's own root), its message kept; it
// fails when the root did not fail, and RootOf never loops.
func TestRootOf(t *testing.T) {
	failed, passed := check.Failf("refused: X"), check.Pass("fine")
	base := check.Catalog{
		fake("R-001", check.Fail, check.Failf("the root")),
		fake("R-002", check.Fail, passed),
		requires(fake("R-003", check.Fail, check.Failf("never judged")), "R-001"),
	}
	tests := []struct {
		name    string
		c       check.Check
		status  check.Status
		blocked string
	}{
		{"explained by a failed root", rootedAt(fake("A-001", check.Fail, failed), "R-001"), check.Skipped, "R-001"},
		{"the root passed: the failure stands", rootedAt(fake("A-001", check.Fail, failed), "R-002"), check.Failed, ""},
		{"the root was blocked: its root", rootedAt(fake("A-001", check.Fail, failed), "R-003"), check.Skipped, "R-001"},
		{"no root named", rootedAt(fake("A-001", check.Fail, failed)), check.Failed, ""},
		{"the first candidate that failed", rootedAt(fake("A-001", check.Fail, failed), "R-002", "Z-999", "R-003", "R-001"), check.Skipped, "R-001"},
		{"an unknown root", rootedAt(fake("A-001", check.Fail, failed), "Z-999"), check.Failed, ""},
		{"itself", rootedAt(fake("A-001", check.Fail, failed), "A-001"), check.Failed, ""},
		{"a pass is kept", rootedAt(fake("A-001", check.Fail, passed), "R-001"), check.Passed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat := append(check.Catalog{tt.c}, base...)
			v := JudgeTarget(&evidence.Target{Input: evidence.Input{Profile: "aws"}}, cat)[0]
			if v.Status != tt.status || v.BlockedBy != tt.blocked {
				t.Fatalf("verdict %+v, want %s blocked by %q", v, tt.status, tt.blocked)
			}
			if tt.blocked != "" && (!strings.Contains(v.Message, "not judged: "+tt.blocked+" failed") || !strings.Contains(v.Message, "refused: X")) {
				t.Errorf("message %q, want the root named and the answer kept", v.Message)
			}
		})
	}
	t.Run("two checks naming each other", func(t *testing.T) {
		cat := check.Catalog{rootedAt(fake("A-001", check.Fail, failed), "A-002"), rootedAt(fake("A-002", check.Fail, failed), "A-001")}
		vs := JudgeTarget(&evidence.Target{Input: evidence.Input{Profile: "aws"}}, cat)
		if vs[0].BlockedBy != "A-002" || vs[1].Status != check.Failed {
			t.Errorf("verdicts %+v, want A-001 blocked by A-002, which fails", vs)
		}
	})
}

// TestMessagesAreBounded: a judge's message longer than MaxMessage is cut
// on a character boundary and says how much was left out.
func TestMessagesAreBounded(t *testing.T) {
	long := strings.Repeat("é", MaxMessage) // two bytes each
	cat := check.Catalog{fake("M-001", check.Fail, check.Failf("%s", long)), fake("M-002", check.Fail, check.Failf("short"))}
	vs := JudgeTarget(&evidence.Target{Input: evidence.Input{Profile: "aws"}}, cat)
	if m := vs[0].Message; len(m) > MaxMessage+40 || !strings.HasSuffix(m, "more bytes)") || !utf8.ValidString(m) {
		t.Errorf("message of %d bytes (valid UTF-8 %v), ends %q", len(m), utf8.ValidString(m), m[len(m)-30:])
	}
	if vs[1].Message != "short" {
		t.Errorf("short message %q changed", vs[1].Message)
	}
}
