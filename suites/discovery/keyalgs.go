package discovery

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// jwkAlgInfo is the part of a JWK that says which algorithms it can sign with.
type jwkAlgInfo struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}

// canSign reports whether a key can produce signatures with alg.
func (k jwkAlgInfo) canSign(alg string) bool {
	if k.Alg != "" {
		return k.Alg == alg
	}
	switch k.Kty {
	case "RSA":
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case "EC":
		return map[string]string{"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}[k.Crv] == alg
	case "OKP":
		return alg == "EdDSA"
	}
	return false
}

// String names the value for a finding.
func (k jwkAlgInfo) String() string {
	if k.Alg != "" {
		return k.Alg
	}
	return fmt.Sprintf("%s key without alg", k.Kty)
}

// judgeAlgorithmsMatchKeys is DISC-011. It requires DISC-010 (a usable
// list) and JWKS-002 (a key set with keys); called without the runner, it
// skips when either is missing.
func judgeAlgorithmsMatchKeys(t *evidence.Target, doc map[string]json.RawMessage) check.Finding {
	algs, _, err := stringsMember(doc, "id_token_signing_alg_values_supported")
	if err != nil || len(algs) == 0 {
		return check.Blocked("DISC-010")
	}
	var set struct {
		Keys []jwkAlgInfo `json:"keys"`
	}
	h := t.JWKS.Final()
	if h == nil || h.Status != 200 || t.JWKS.Err != "" || json.Unmarshal(h.Body, &set) != nil || len(set.Keys) == 0 {
		return check.Skip("no key set with keys to compare with (JWKS-001 and JWKS-002 judge it)")
	}
	var problems []string
	for _, a := range algs {
		if strings.EqualFold(a, "none") {
			continue // DISC-010's business
		}
		if !slices.ContainsFunc(set.Keys, func(k jwkAlgInfo) bool { return k.Use != "enc" && k.canSign(a) }) {
			problems = append(problems, fmt.Sprintf("%s is advertised but no key can sign with it", a))
		}
	}
	for _, k := range set.Keys {
		if k.Use == "enc" {
			continue
		}
		if !slices.ContainsFunc(algs, k.canSign) {
			problems = append(problems, fmt.Sprintf("a %s key is published but its algorithm is not advertised", k))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return check.Warnf("%s", strings.Join(slices.Compact(problems), "; "))
	}
	return check.Pass("advertised [%s] match the %d keys", strings.Join(algs, ", "), len(set.Keys))
}
