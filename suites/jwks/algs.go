package jwks

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// STSAlgorithms are the signing algorithms STS accepts (RS256 alone before
// 2024-11-20): the STS rules' list, as DISC-010's.
var STSAlgorithms = stsrules.Algorithms

// ecAlg is the one JWS algorithm of each EC curve (RFC 7518 §3.4, RFC 8812).
var ecAlg = map[string]string{"P-256": "ES256", "P-384": "ES384", "P-521": "ES512", "secp256k1": "ES256K"}

// sigAlgs are the registered JWS algorithms a key of this type and curve
// can sign with (RFC 7518 §3, RFC 8037, RFC 8812, RFC 9864).
func sigAlgs(kty, crv string) []string {
	switch kty {
	case "RSA":
		return []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
	case "EC":
		if a, ok := ecAlg[crv]; ok {
			return []string{a}
		}
	case "OKP":
		if crv == "Ed25519" || crv == "Ed448" {
			return []string{"EdDSA", crv}
		}
	case "oct":
		return []string{"HS256", "HS384", "HS512"}
	}
	return nil
}

// encAlgs are the registered JWE key-management algorithms for a key of
// this type and curve (RFC 7518 §4, RFC 8037 §3.2).
func encAlgs(kty, crv string) []string {
	ecdh := []string{"ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"}
	switch {
	case kty == "RSA":
		return []string{"RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512"}
	case kty == "EC" && ecCurves[crv] != nil, kty == "OKP" && (crv == "X25519" || crv == "X448"):
		return ecdh
	case kty == "oct":
		return []string{"A128KW", "A192KW", "A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "dir"}
	}
	return nil
}

// registered reports whether alg is a registered JWS or JWE key algorithm.
func registered(alg string) bool {
	for _, kc := range [][2]string{{"RSA", ""}, {"EC", "P-256"}, {"EC", "P-384"}, {"EC", "P-521"},
		{"EC", "secp256k1"}, {"OKP", "Ed25519"}, {"OKP", "Ed448"}, {"OKP", "X25519"}, {"oct", ""}} {
		if slices.Contains(sigAlgs(kc[0], kc[1]), alg) || slices.Contains(encAlgs(kc[0], kc[1]), alg) {
			return true
		}
	}
	return false
}

// accepted returns the algorithms profile p accepts for a key of this type
// and curve, and how to say what the profile accepts.
func accepted(p check.Profile, k *Key) ([]string, string) {
	switch p {
	case check.AWS:
		if k.Kty == "RSA" {
			return []string{"RS256", "RS384", "RS512"}, "STS accepts " + strings.Join(STSAlgorithms, ", ")
		}
		if k.Kty == "EC" && ecCurves[k.Crv] != nil {
			return sigAlgs(k.Kty, k.Crv), "STS accepts " + strings.Join(STSAlgorithms, ", ")
		}
		return nil, "STS accepts RSA keys and EC keys on P-256, P-384 and P-521"
	case check.Kubernetes:
		if k.Kty == "RSA" {
			return []string{"RS256"}, "kube-apiserver serves RSA keys as RS256"
		}
		if k.Kty == "EC" && ecCurves[k.Crv] != nil {
			return sigAlgs(k.Kty, k.Crv), "kube-apiserver serves EC keys as ES256, ES384, ES512"
		}
		return nil, "kube-apiserver serves RSA keys and EC keys on P-256, P-384 and P-521"
	}
	algs := sigAlgs(k.Kty, k.Crv)
	if k.Use == "enc" {
		algs = append(algs, encAlgs(k.Kty, k.Crv)...)
	}
	return algs, "not a registered key type and curve (RFC 7518 §6.1, RFC 8037)"
}

// describe is the key's type and curve: "RSA", "EC P-384".
func describe(k *Key) string {
	if k.Crv != "" {
		return k.Kty + " " + k.Crv
	}
	return k.Kty
}

// algProblem says what is wrong with a key's type, curve and alg under p,
// or "".
func algProblem(p check.Profile, k *Key) string {
	consistent := append(sigAlgs(k.Kty, k.Crv), encAlgs(k.Kty, k.Crv)...)
	allowed, rule := accepted(p, k)
	switch {
	case strings.EqualFold(k.Alg, "none"):
		return fmt.Sprintf("%s has alg %q: unsigned tokens must never verify", k.Name(), k.Alg)
	case k.Alg != "" && !registered(k.Alg):
		return fmt.Sprintf("%s has alg %q, not a registered algorithm", k.Name(), k.Alg)
	case k.Alg != "" && len(consistent) > 0 && !slices.Contains(consistent, k.Alg):
		return fmt.Sprintf("%s has alg %s, which does not fit its key type (%s)", k.Name(), k.Alg, describe(k))
	case len(allowed) == 0:
		return fmt.Sprintf("%s is an %s key: %s", k.Name(), describe(k), rule)
	case k.Alg != "" && !slices.Contains(allowed, k.Alg):
		return fmt.Sprintf("%s has alg %s: %s", k.Name(), k.Alg, rule)
	}
	return ""
}

func judgeAlgorithms(t *evidence.Target, s *Set) check.Finding {
	p := check.Profile(t.Input.Profile)
	var bad []string
	seen := map[string]int{}
	for _, k := range s.Keys {
		if k.Kty == "" || k.Kty == "oct" || (k.Use == "enc" && p != check.OIDC) {
			continue // JWKS-003, JWKS-006 and JWKS-015 judge these
		}
		if msg := algProblem(p, k); msg != "" {
			bad = append(bad, msg)
			continue
		}
		name := k.Alg
		if name == "" {
			name = describe(k) + " without alg"
		}
		seen[name]++
	}
	if len(bad) > 0 {
		return check.Failf("%s", listed(bad))
	}
	var kinds []string
	for name, n := range seen {
		kinds = append(kinds, fmt.Sprintf("%s (%d)", name, n))
	}
	sort.Strings(kinds)
	if len(kinds) == 0 {
		return check.Pass("no signing key to judge")
	}
	return check.Pass("%s", strings.Join(kinds, ", "))
}

// uses sorts the keys of s by their use member: encryption keys, keys
// without use, and keys with another use than sig (a use that is not a
// string is JWKS-003's).
func uses(s *Set) (enc, unset, other []string) {
	for _, k := range s.Keys {
		_, present := k.Members["use"]
		_, isString := k.str("use")
		switch {
		case k.Members == nil || k.Use == "sig" || (present && !isString):
		case !present:
			unset = append(unset, k.Name())
		case k.Use == "enc":
			enc = append(enc, k.Name())
		default:
			other = append(other, fmt.Sprintf("%s has use %q", k.Name(), k.Use))
		}
	}
	return enc, unset, other
}

// judgeSigningOnly is JWKS-015: an issuer for AWS or Kubernetes publishes
// signing keys only; a generic OpenID provider may publish encryption keys,
// but then every key must say its use (OpenID Connect Discovery §3).
func judgeSigningOnly(t *evidence.Target, s *Set) check.Finding {
	enc, unset, _ := uses(s)
	switch {
	case len(enc) == 0:
		return check.Pass("no encryption key (use enc)")
	case t.Input.Profile != string(check.OIDC):
		return check.Failf("%s: use enc; publish only signing keys (use sig) at the issuer's jwks_uri", listed(enc))
	case len(unset) > 0:
		return check.Failf("encryption keys (%s) are published, so every key needs use (OpenID Connect Discovery §3); without it: %s",
			listed(enc), listed(unset))
	}
	return check.Pass("every key has use; %s for encryption (allowed by OpenID Connect Discovery §3)", plural(len(enc), "key"))
}

// judgeUse is JWKS-009: every key says use sig. It requires JWKS-015, which
// judges encryption keys.
func judgeUse(_ *evidence.Target, s *Set) check.Finding {
	enc, unset, other := uses(s)
	if len(unset) > 0 || len(other) > 0 {
		var why []string
		if len(unset) > 0 {
			why = append(why, fmt.Sprintf("no use on %s", listed(unset)))
		}
		return check.Warnf("%s; some verifiers (Azure, SPIRE) require use sig", listed(append(why, other...)))
	}
	if len(enc) > 0 {
		return check.Pass("every key has use (%s for encryption: JWKS-015)", plural(len(enc), "key"))
	}
	return check.Pass("all %s have use sig", s.inspected())
}
