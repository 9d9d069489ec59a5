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

// TestPermits: the severity is the highest status a check reaches; a FAIL
// check warns only where WarnsWhen documents it.
func TestPermits(t *testing.T) {
	tests := []struct {
		sev       Severity
		warnsWhen string
		st        Status
		want      bool
	}{
		{Info, "", Passed, true}, {Info, "", Skipped, true}, {Info, "", Warning, false}, {Info, "", Failed, false},
		{Warn, "", Warning, true}, {Warn, "", Failed, false},
		{Fail, "", Failed, true}, {Fail, "", Warning, false}, {Fail, "the network may be at fault", Warning, true},
		{Fail, "", "unknown", false},
	}
	for _, tt := range tests {
		c := entry("A-001")
		c.Severity, c.WarnsWhen = tt.sev, tt.warnsWhen
		if got := c.Permits(tt.st); got != tt.want {
			t.Errorf("%s (WarnsWhen %q) permits %s = %v, want %v", tt.sev, tt.warnsWhen, tt.st, got, tt.want)
		}
	}
	c := entry("A-001")
	c.Severity, c.WarnsWhen = Warn, "never"
	if err := (Catalog{c}).Validate(); err == nil || !strings.Contains(err.Error(), "WarnsWhen") {
		t.Errorf("Validate of WarnsWhen on a WARN check: %v, want an error", err)
	}
}

// TestValidatePart: an area's part of the catalog may require checks of
// other areas; the whole catalog's Validate checks those.
func TestValidatePart(t *testing.T) {
	part := Catalog{entry("A-001", "B-001"), entry("A-002", "A-001")}
	if err := part.ValidatePart(); err != nil {
		t.Errorf("ValidatePart: %v", err)
	}
	if err := part.Validate(); err == nil {
		t.Errorf("Validate accepted a prerequisite outside the catalog")
	}
	if err := (Catalog{entry("A-001", "A-009", "A-001")}).ValidatePart(); err == nil {
		t.Errorf("ValidatePart accepted a check that requires itself")
	}
}
