package gcp

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
)

// jwkMembers are the only members a key of an uploaded jwksJson may have.
var jwkMembers = []string{"kty", "alg", "use", "kid", "n", "e", "x", "y", "crv"}

// maxProblems caps the problems a message lists.
const maxProblems = 3

// uploadProblems says why GCP would not take body as a provider's jwksJson
// (nil: it would): a JSON object whose keys are RSA or EC public keys with
// only the allowed members and use sig.
func uploadProblems(body []byte) []string {
	var set struct {
		Keys []map[string]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return []string{"not a JSON key set: " + clip(err.Error(), 120)}
	}
	if len(set.Keys) == 0 {
		return []string{"no keys"}
	}
	if len(set.Keys) > jwkset.MaxKeys {
		return []string{fmt.Sprintf("%d keys, over the %d this reads", len(set.Keys), jwkset.MaxKeys)}
	}
	var out []string
	for i, k := range set.Keys {
		if p := keyProblem(k); p != "" {
			out = append(out, fmt.Sprintf("key #%d %s", i+1, p))
		}
		if len(out) == maxProblems {
			break
		}
	}
	return out
}

// keyProblem is what makes one JWK not uploadable, or "".
func keyProblem(k map[string]json.RawMessage) string {
	var extra []string
	for _, m := range slices.Sorted(maps.Keys(k)) {
		if !slices.Contains(jwkMembers, m) {
			extra = append(extra, clip(m, 40))
		}
	}
	if len(extra) > 0 {
		return "has members GCP does not allow: " + strings.Join(extra[:min(len(extra), 5)], ", ")
	}
	str := func(name string) string {
		var s string
		_ = json.Unmarshal(k[name], &s)
		return s
	}
	var need []string
	switch kty := str("kty"); kty {
	case "RSA":
		need = []string{"n", "e"}
	case "EC":
		need = []string{"crv", "x", "y"}
	default:
		return fmt.Sprintf("has kty %q: GCP takes RSA and EC keys only", clip(kty, 20))
	}
	for _, m := range need {
		if str(m) == "" {
			return "lacks " + m
		}
	}
	if use := str("use"); use != "sig" {
		return fmt.Sprintf("has use %q: an uploaded key must say use sig", clip(use, 20))
	}
	return ""
}

// judgeUploaded is GCP-010.
func judgeUploaded(t *evidence.Target) check.Finding {
	p, err := providerOf(t.Input)
	if err != nil {
		return check.Skip("no provider: %v", err)
	}
	if p.OIDC.JWKSJSON == "" {
		return check.Pass("no jwksJson: GCP uses the jwks_uri of the issuer's discovery document")
	}
	if probs := uploadProblems([]byte(p.OIDC.JWKSJSON)); len(probs) > 0 {
		return check.Failf("oidc.jwksJson: %s", strings.Join(probs, "; "))
	}
	return check.Pass("oidc.jwksJson holds only keys GCP accepts")
}

// judgeServedUploadable is GCP-011.
func judgeServedUploadable(t *evidence.Target) check.Finding {
	p, err := providerOf(t.Input)
	if err != nil {
		return check.Skip("no provider: %v", err)
	}
	if p.OIDC.JWKSJSON != "" {
		return check.Pass("the provider has a jwksJson: the served key set is not what GCP uses")
	}
	h := t.JWKS.Final()
	if h == nil || h.Status != 200 || h.Truncated {
		return check.Skip("no key set was served (see JWKS-001)")
	}
	if probs := uploadProblems(h.Body); len(probs) > 0 {
		return check.Warnf("the served key set could not be uploaded as jwksJson (this matters only for an issuer that cannot be public): %s", strings.Join(probs, "; "))
	}
	return check.Pass("the served key set could be uploaded as jwksJson as it is")
}

// poolOf is the pool part of a provider's resource name.
func poolOf(name string) string {
	if i := strings.Index(name, "/providers/"); i >= 0 {
		return name[:i]
	}
	return name
}

// served is the key set the probe recorded, or nil.
func served(t *evidence.Target) []byte {
	if h := t.JWKS.Final(); h != nil && h.Status == 200 && !h.Truncated && t.JWKS.Err == "" {
		return h.Body
	}
	return nil
}
