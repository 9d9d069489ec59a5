package jwks

import (
	"crypto/rsa"
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Key-strength limits of JWKS-007.
const (
	MinRSABits      = 2048
	WantRSAExponent = 65537
)

// privateMembers are the members that carry private key material (RFC 7518
// §6.2.2, §6.3.2).
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth"}

func judgePublicOnly(t *evidence.Target, s *Set) check.Finding {
	var bad []string
	for _, k := range s.Keys {
		var priv []string
		for _, m := range privateMembers {
			if _, ok := k.Members[m]; ok {
				priv = append(priv, m)
			}
		}
		if len(priv) > 0 {
			bad = append(bad, fmt.Sprintf("%s carries private members %s", k.Name(), strings.Join(priv, ", ")))
		}
		if k.Kty == "oct" {
			bad = append(bad, fmt.Sprintf("%s is a symmetric (oct) key", k.Name()))
		}
	}
	if len(bad) > 0 {
		return check.Failf("%s: the key is compromised, replace it and publish only the public part", listed(bad))
	}
	return check.Pass("no private or symmetric key material in %s", s.inspected())
}

// rsaKeys returns the parsed RSA keys of s (a key that does not parse is
// JWKS-003's).
func rsaKeys(s *Set) (keys []*Key, pubs []*rsa.PublicKey) {
	for _, k := range s.Keys {
		if pub, ok := k.Public.(*rsa.PublicKey); ok {
			keys, pubs = append(keys, k), append(pubs, pub)
		}
	}
	return keys, pubs
}

// judgeStrength is JWKS-007: the modulus size RFC 7518 §3.3 requires, and
// at most jwkset's cap (an oversize key is judged from its text).
func judgeStrength(_ *evidence.Target, s *Set) check.Finding {
	keys, pubs := rsaKeys(s)
	var weak, huge []string
	for _, k := range s.Keys {
		if k.Oversize != "" {
			huge = append(huge, fmt.Sprintf("%s: %s", k.Name(), k.Oversize))
		}
	}
	for i, pub := range pubs {
		if bits := pub.N.BitLen(); bits < MinRSABits {
			weak = append(weak, fmt.Sprintf("%s has a %d-bit modulus", keys[i].Name(), bits))
		}
	}
	switch {
	case len(huge) > 0:
		return check.Failf("%s; STS, JOSE libraries and this harness refuse such keys (verifying with one costs minutes of CPU)", listed(huge))
	case len(huge) > 0:
		return check.Failf("%s; STS, JOSE libraries and this harness refuse such keys (verifying with one costs minutes of CPU)", listed(huge))
	case len(weak) > 0:
		return check.Failf("%s, want at least %d (RFC 7518 §3.3): the signature math may hold, but the key is too weak to trust", listed(weak), MinRSABits)
	case len(keys) == 0:
		return check.Pass("no RSA key to judge")
	}
	return check.Pass("%s of at least %d bits", plural(len(keys), "RSA key"), MinRSABits)
}

// judgeExponent is JWKS-014: the public exponent every library and NIST
// SP 800-89 expect.
func judgeExponent(_ *evidence.Target, s *Set) check.Finding {
	keys, pubs := rsaKeys(s)
	var odd []string
	for i, pub := range pubs {
		if pub.E != WantRSAExponent {
			odd = append(odd, fmt.Sprintf("%s has exponent %d", keys[i].Name(), pub.E))
		}
	}
	switch {
	case len(odd) > 0:
		return check.Warnf("%s, want %d", listed(odd), WantRSAExponent)
	case len(keys) == 0:
		return check.Pass("no RSA key to judge")
	}
	return check.Pass("%s with exponent %d", plural(len(keys), "RSA key"), WantRSAExponent)
}
