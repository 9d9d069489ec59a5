package stsrules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// Algorithms are the signing algorithms STS accepts (RS256 alone before
// 2024-11-20).
var Algorithms = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

// CheckAlgorithm is RuleAlgorithm: alg is one STS accepts; never none,
// never an HMAC.
func CheckAlgorithm(alg string) *Error {
	for _, a := range Algorithms {
		if a == alg {
			return nil
		}
	}
	accepted := strings.Join(Algorithms, ", ")
	switch {
	case strings.EqualFold(alg, "none"):
		return refusef(RuleAlgorithm, "Unsupported token signing algorithm %q: the token is unsigned; STS accepts only %s", alg, accepted)
	case strings.HasPrefix(strings.ToUpper(alg), "HS"):
		return refusef(RuleAlgorithm, "Unsupported token signing algorithm %q: an HMAC (shared-secret) algorithm; STS verifies with the published public key and accepts only %s",
			clip(alg, 20), accepted)
	}
	return refusef(RuleAlgorithm, "Unsupported token signing algorithm %q: STS accepts %s", clip(alg, 20), accepted)
}

// verifySignature checks the signature of raw under alg with pub alone: the
// public numbers, nothing of the JWK's other members.
func verifySignature(raw, alg string, pub any) error {
	a, ok := jwa.LookupSignatureAlgorithm(alg)
	if !ok {
		return fmt.Errorf("unknown algorithm %q", alg)
	}
	if _, err := jws.VerifyCompactFast(pub, []byte(raw), a); err != nil {
		return errors.New("signature does not verify")
	}
	return nil
}
