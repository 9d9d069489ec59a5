package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
)

// readBaseline reads --jwks-baseline: a file written by --save-jwks, or a bare
// JWKS (then the file's modification time is when it was saved).
func readBaseline(path string) (*evidence.Baseline, error) {
	if path == "" {
		return nil, nil
	}
	b, err := infile.Read("--jwks-baseline", path, infile.SavedJWKS)
	if err != nil {
		return nil, err
	}
	var saved evidence.Baseline
	if err := json.Unmarshal(b, &saved); err == nil && len(saved.JWKS) > 0 && !saved.SavedAt.IsZero() {
		if _, err := jwks.Parse(saved.JWKS); err != nil {
			return nil, fmt.Errorf("--jwks-baseline %s: %w", path, err)
		}
		saved.Source = path
		saved.JWKS = probe.RedactJWKS(saved.JWKS)
		return &saved, nil
	}
	if _, err := jwks.Parse(b); err != nil {
		return nil, fmt.Errorf("--jwks-baseline %s: neither a --save-jwks file nor a JWKS: %w", path, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--jwks-baseline: %w", err)
	}
	return &evidence.Baseline{Source: path, SavedAt: st.ModTime().UTC(), JWKS: probe.RedactJWKS(b)}, nil
}

// writeSavedJWKS writes the JWKS a target served, with when it was seen, in
// the form --jwks-baseline reads.
func writeSavedJWKS(w io.Writer, t *evidence.Target) error {
	h := t.JWKS.Final()
	if h == nil || h.Status != 200 || t.JWKS.Err != "" {
		return fmt.Errorf("no JWKS was served by %s", t.Input.Issuer)
	}
	if _, err := jwks.Parse(h.Body); err != nil {
		return fmt.Errorf("the JWKS of %s does not parse: %w", t.Input.Issuer, err)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(evidence.Baseline{Source: t.JWKS.URL, SavedAt: t.ProbedAt, JWKS: json.RawMessage(h.Body)})
}
