package webidentity

import (
	"context"
	"crypto"
	"errors"
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
)

// Key is one verification key an issuer publishes.
type Key struct {
	// ID is the key's kid; HasID is false when the JWK has no kid member.
	ID    string
	HasID bool
	// Algorithm is the JWK's alg member, "" when absent.
	Algorithm string
	// Public is the public key: *rsa.PublicKey or *ecdsa.PublicKey.
	Public crypto.PublicKey
}

// KeySource gives the verification key an issuer publishes under a kid. The
// mock STS fetches it (discovery, then JWKS, with STS's TLS and thumbprint
// rules and a cache); explain and the claims suite use StaticKeys.
type KeySource interface {
	// Key returns the key published under kid ("" for a token without a
	// kid, which matches a key published with "kid": "") by the issuer of
	// provider p. An *Error is passed through as it is (e.g.
	// IDPCommunicationError); any other error means STS's "Couldn't
	// retrieve verification key".
	Key(ctx context.Context, p Provider, kid string) (Key, error)
}

// ErrNoSuchKid is wrapped by the errors of KeySources that found the key set
// but no key with the token's kid.
var ErrNoSuchKid = errors.New("no key with the token's kid")

// ParseJWKS returns the signature keys of a JWKS document that STS can use:
// RSA and EC public keys (the public half of a leaked private key), skipping
// keys that do not parse, symmetric and OKP keys, and keys marked "use":"enc".
// It fails when the document is not a key set. The keys are read through
// jwkset, with its caps: at most jwkset.MaxKeys keys, and none over a cap
// (a modulus over 16384 bits, an unknown curve), which is never used.
func ParseJWKS(body []byte) ([]Key, error) {
	set, err := jwkset.Parse(body)
	if err != nil {
		return nil, err
	}
	var keys []Key
	for _, k := range set.Keys {
		if k.Public == nil || k.Use == "enc" {
			continue
		}
		keys = append(keys, Key{ID: k.KID, HasID: k.HasKID, Algorithm: k.Alg, Public: k.Public})
	}
	return keys, nil
}

// FindKey returns the key whose kid is exactly kid, as STS picks it. A key
// without a kid member matches nothing.
func FindKey(keys []Key, kid string) (Key, bool) {
	for _, k := range keys {
		if k.HasID && k.ID == kid {
			return k, true
		}
	}
	return Key{}, false
}

// StaticKeys is a KeySource over a fixed key set, whatever the provider:
// for judging a token offline against a JWKS already fetched.
type StaticKeys []Key

// Key implements KeySource.
func (s StaticKeys) Key(_ context.Context, _ Provider, kid string) (Key, error) {
	if k, ok := FindKey(s, kid); ok {
		return k, nil
	}
	return Key{}, fmt.Errorf("%w %q", ErrNoSuchKid, kid)
}
