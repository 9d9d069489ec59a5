package stsrules

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// Algorithms are the signing algorithms STS accepts (RS256 alone before
// 2024-11-20).
var Algorithms = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

// SignatureAlgorithms are the JWS algorithms a relying party can verify
// with a key published in a JWKS: the asymmetric ones of RFC 7518 §3.1
// (RS*, PS*, ES*), ES256K (RFC 8812) and EdDSA (RFC 8037). Not none, which
// signs nothing, and not HS*, which needs a shared secret (OpenID Connect
// Core 1.0 §10.1: the client secret), never the public key.
var SignatureAlgorithms = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "ES256K", "EdDSA"}

// CheckSigningAlgorithm is RuleSigningAlgorithm, the rule every relying
// party that verifies with the issuer's JWKS applies (STS included): alg
// is one of SignatureAlgorithms; never none, never an HMAC.
func CheckSigningAlgorithm(alg string) *Error {
	if slices.Contains(SignatureAlgorithms, alg) {
		return nil
	}
	switch {
	case strings.EqualFold(alg, "none"):
		return refusef(RuleSigningAlgorithm, "Unsupported token signing algorithm %q: the token is unsigned; a token verified with the issuer's published keys must be signed with one of %s",
			alg, strings.Join(SignatureAlgorithms, ", "))
	case strings.HasPrefix(strings.ToUpper(alg), "HS"):
		return refusef(RuleSigningAlgorithm, "Unsupported token signing algorithm %q: an HMAC (shared-secret) algorithm; the issuer's keys are public, and a verifier that took one as the secret would be open to algorithm confusion",
			clip(alg, 20))
	}
	return refusef(RuleSigningAlgorithm, "Unsupported token signing algorithm %q: not a JWS signature algorithm verifiable with a published key (%s)",
		clip(alg, 20), strings.Join(SignatureAlgorithms, ", "))
}

// CheckAlgorithm is STS's algorithm rules in order: RuleSigningAlgorithm
// (CheckSigningAlgorithm: never none, never an HMAC), then RuleAlgorithm,
// alg is one of the signature algorithms STS accepts (Algorithms: no PS*,
// no EdDSA).
func CheckAlgorithm(alg string) *Error {
	if e := CheckSigningAlgorithm(alg); e != nil {
		return e
	}
	if slices.Contains(Algorithms, alg) {
		return nil
	}
	return refusef(RuleAlgorithm, "Unsupported token signing algorithm %q: STS accepts %s", clip(alg, 20), strings.Join(Algorithms, ", "))
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
