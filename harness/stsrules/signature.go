package stsrules

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
)

// Signer is the key that verified a token's signature.
type Signer struct {
	Key
	// Of is how many keys were candidates (several when a kid is duplicated
	// or the token has none).
	Of int
	// caveats are the unconfirmed readings of the key set the signer was
	// found in (KeyLimitCaveat), for the identity.
	caveats []Caveat
}

// Describe names the signer for a message.
func (s Signer) Describe() string {
	if s.Of > 1 {
		return fmt.Sprintf("%s, one of %d candidates", s.Key.Describe(), s.Of)
	}
	return s.Key.Describe()
}

// CheckSignature is RuleSignature: the signature of raw verifies under alg
// with the public numbers of one of the candidates, whatever their policy
// (size, use, alg member: KeyPolicy's), the first MaxCandidates of them at
// most. When no candidate is usable, the
// refusal is the first candidate's own rule (RuleKeyParse, ...): the key,
// not the signature, is the root.
func CheckSignature(raw, alg string, candidates []Key) (Signer, *Error) {
	var usable []Key
	for _, k := range candidates {
		if k.Public != nil {
			usable = append(usable, k)
		}
	}
	if len(usable) == 0 {
		k := candidates[0]
		return Signer{}, KeyNotRetrieved(k.Unusable, fmt.Errorf("%s is %s", k.Describe(), k.Problem))
	}
	if len(usable) > MaxCandidates {
		usable = usable[:MaxCandidates]
	}
	for _, k := range usable {
		if verifySignature(raw, alg, k.Public) == nil {
			return Signer{Key: k, Of: len(candidates)}, nil
		}
	}
	what := usable[0].Describe()
	if len(usable) > 1 {
		what = fmt.Sprintf("any of the %d candidate keys", len(usable))
	}
	return Signer{}, refuse(RuleSignature, "", fmt.Errorf("the %s signature does not verify with %s", alg, what))
}

// KeyPolicy is the rules on the key that verified: RuleKeySize,
// RuleKeyUse, RuleKeyAlgorithm (the JWK's alg member is one STS takes for
// the key's type and curve), in that order. A token alg that differs from a
// JWK alg the key could also take is not refused: what STS does then is
// unconfirmed, and the signature, verified with the key's numbers, holds.
func KeyPolicy(k Key, alg string) *Error {
	if pub, ok := k.Public.(*rsa.PublicKey); ok && pub.N.BitLen() < MinRSABits {
		return refusef(RuleKeySize, "The key that verified the token is RSA of %d bits; STS takes at least %d", pub.N.BitLen(), MinRSABits)
	}
	if k.Use == "enc" {
		return refusef(RuleKeyUse, "The key that verified the token (%s) is marked \"use\": \"enc\", an encryption key", k.Describe())
	}
	if k.Algorithm != "" && !keyTakes(k, k.Algorithm) {
		return refusef(RuleKeyAlgorithm, "The key that verified the token (%s) is published with alg %q, which STS does not take for a key of its type and curve",
			k.Describe(), clip(k.Algorithm, 20))
	}
	return nil
}

// keyTakes reports whether STS accepts alg and it suits k's type and curve.
func keyTakes(k Key, alg string) bool {
	if CheckAlgorithm(alg) != nil {
		return false
	}
	switch pub := k.Public.(type) {
	case *rsa.PublicKey:
		return alg[:2] == "RS"
	case *ecdsa.PublicKey:
		want := map[string]string{"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[alg]
		return want != "" && pub.Curve.Params().Name == want
	}
	return false
}
