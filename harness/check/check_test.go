package check

import (
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

func entry(id string, requires ...string) Check {
	return Check{ID: id, Title: "t", Area: "a", Severity: Fail, Profiles: []Profile{AWS}, Reference: "r",
		Remediation: "f", Requires: requires, Judge: func(*evidence.Target) Finding { return Pass("ok") }}
}

func TestCatalogValidatePrerequisites(t *testing.T) {
	tests := []struct {
		name    string
		cat     Catalog
		wantErr string
	}{
		{"chain", Catalog{entry("A-001"), entry("A-002", "A-001"), entry("A-003", "A-002", "A-001")}, ""},
		{"unknown", Catalog{entry("A-001", "A-009")}, `requires unknown check "A-009"`},
		{"self", Catalog{entry("A-001", "A-001")}, "A-001 -> A-001"},
		{"cycle", Catalog{entry("A-001", "A-003"), entry("A-002", "A-001"), entry("A-003", "A-002")}, "require each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cat.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate: %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Validate: %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestBlocked(t *testing.T) {
	f := Blocked("TOK-001")
	if f.Status != Skipped || f.BlockedBy != "TOK-001" || f.Message != "not judged: TOK-001 failed" {
		t.Fatalf("Blocked = %+v", f)
	}
}
