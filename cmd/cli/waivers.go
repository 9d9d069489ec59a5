package cli

import (
	"fmt"
	"path"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/reports"
)

// waiverSpec is one entry of a --waivers file, as written.
type waiverSpec struct {
	// Check is the check ID waived.
	Check string `yaml:"check"`
	// Target is a glob over target names (and issuers): "prod-*".
	Target string `yaml:"target"`
	Reason string `yaml:"reason"`
	Owner  string `yaml:"owner"`
	// Expires is the last day the waiver holds, YYYY-MM-DD (UTC).
	Expires string `yaml:"expires"`
}

// readWaivers reads and validates --waivers: a YAML or JSON list of
// waiverSpec (bare or under waivers:), every field required.
func readWaivers(path string, cat check.Catalog) ([]reports.Waiver, error) {
	if path == "" {
		return nil, nil
	}
	b, err := infile.Read("--waivers", path, infile.JSON)
	if err != nil {
		return nil, err
	}
	specs, err := decodeEntries[waiverSpec](b, "waivers")
	if err != nil {
		return nil, fmt.Errorf("--waivers %s: %w", path, err)
	}
	out := make([]reports.Waiver, 0, len(specs))
	for i, s := range specs {
		w, err := s.validate(cat)
		if err != nil {
			return nil, fmt.Errorf("--waivers %s: entry %d: %w", path, i+1, err)
		}
		out = append(out, w)
	}
	return out, nil
}

// validate checks one waiver: a known check, a valid glob, a reason, an
// owner and a date.
func (s waiverSpec) validate(cat check.Catalog) (reports.Waiver, error) {
	for field, v := range map[string]string{"check": s.Check, "target": s.Target, "reason": s.Reason, "owner": s.Owner, "expires": s.Expires} {
		if v == "" {
			return reports.Waiver{}, fmt.Errorf("%s: missing (a waiver needs check, target, reason, owner and expires)", field)
		}
	}
	if _, ok := cat.Lookup(s.Check); !ok {
		return reports.Waiver{}, fmt.Errorf("check: %q is not a check ID (oidc-conformance list)", s.Check)
	}
	if _, err := path.Match(s.Target, ""); err != nil {
		return reports.Waiver{}, fmt.Errorf("target: %q is not a glob: %w", s.Target, err)
	}
	exp, err := time.Parse(time.DateOnly, s.Expires)
	if err != nil {
		return reports.Waiver{}, fmt.Errorf("expires: %q is not a date YYYY-MM-DD", s.Expires)
	}
	return reports.Waiver{Check: s.Check, Target: s.Target, Reason: s.Reason, Owner: s.Owner, Expires: exp}, nil
}
