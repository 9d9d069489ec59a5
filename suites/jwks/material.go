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

func judgePublicOnly(t *evidence.Target) check.Finding {
	s, skip := keySet(t)
	if skip != nil {
		return *skip
	}
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

func judgeStrength(t *evidence.Target) check.Finding {
	s, skip := keySet(t)
	if skip != nil {
		return *skip
	}
	var weak, odd, huge []string
	n := 0
	for _, k := range s.Keys {
		if k.Oversize != "" {
			huge = append(huge, fmt.Sprintf("%s: %s", k.Name(), k.Oversize))
			continue
		}
		pub, ok := k.Public.(*rsa.PublicKey)
		if !ok {
			continue
		}
		n++
		if bits := pub.N.BitLen(); bits < MinRSABits {
			weak = append(weak, fmt.Sprintf("%s has a %d-bit modulus", k.Name(), bits))
		}
		if pub.E != WantRSAExponent {
			odd = append(odd, fmt.Sprintf("%s has exponent %d", k.Name(), pub.E))
		}
	}
	switch {
	case len(huge) > 0:
		return check.Failf("%s; STS, JOSE libraries and this harness refuse such keys (verifying with one costs minutes of CPU)", listed(huge))
	case len(weak) > 0:
		return check.Failf("%s, want at least %d", listed(append(weak, odd...)), MinRSABits)
	case len(odd) > 0:
		return check.Warnf("%s, want %d", listed(odd), WantRSAExponent)
	case n == 0:
		return check.Pass("no RSA key to judge")
	}
	return check.Pass("%s of at least %d bits with exponent %d", plural(n, "RSA key"), MinRSABits, WantRSAExponent)
}
