package stsrules

import (
	"context"
	"crypto"
	"errors"
	"fmt"
)

// Key is one member of an issuer's JWKS, as STS reads it: usable when
// Public is set, otherwise Unusable says which rule it breaks.
type Key struct {
	// Index is the key's position in the JWKS's keys array.
	Index int
	// ID is the key's kid; HasID is false when the JWK has no kid member.
	ID    string
	HasID bool
	// Type, Algorithm and Use are the JWK's kty, alg and use members ("" when absent).
	Type, Algorithm, Use string
	// Public is the public key: *rsa.PublicKey or *ecdsa.PublicKey; nil
	// when the key is unusable.
	Public crypto.PublicKey
	// Unusable is the rule the key breaks when Public is nil
	// (RuleKeyParse, RuleKeySymmetric or RuleKeyType); Problem says how.
	Unusable RuleID
	Problem  string
}

// Describe names the key for a message: its position and kid.
func (k Key) Describe() string {
	kid := "no kid"
	if k.HasID {
		kid = fmt.Sprintf("kid %q", k.ID)
	}
	return fmt.Sprintf("key #%d (%s)", k.Index+1, kid)
}

// KeySource gives the key set an issuer publishes. The mock STS fetches it
// (discovery, then JWKS, with STS's TLS and thumbprint rules and a cache);
// explain and the claims side use StaticKeys.
type KeySource interface {
	// Keys returns every key the issuer of provider p publishes. fresh asks
	// a caching source to fetch again (the verifier asks once more when the
	// token's kid is not in the set). An *Error is passed through as it is;
	// any other error means STS's "Couldn't retrieve verification key".
	Keys(ctx context.Context, p Provider, fresh bool) ([]Key, error)
}

// ErrNoSuchKid is wrapped by the cause of a RuleKeyID refusal: the key set
// was had, but no key carries the token's kid.
var ErrNoSuchKid = errors.New("no key with the token's kid")

// StaticKeys is a KeySource over a fixed key set, whatever the provider:
// for judging a token offline against a JWKS already fetched.
type StaticKeys []Key

// Keys implements KeySource.
func (s StaticKeys) Keys(context.Context, Provider, bool) ([]Key, error) { return s, nil }

// SelectKeys is RuleKeyID: the keys STS would try for a token with header
// h. With a kid (even ""), the keys whose kid member is exactly that: a JWK
// without a kid member matches no kid, not even "" (STS treats "" as a kid
// value, amazon-eks-pod-identity-webhook#9 and #12). Without a kid header,
// STS's behaviour is unconfirmed: the model's decision is every key of the
// set, as go-oidc and jwx do, and KidCaveat warns.
func SelectKeys(keys []Key, h Header) ([]Key, *Error) {
	if !h.HasKid {
		return keys, nil
	}
	var out []Key
	for _, k := range keys {
		if k.HasID && k.ID == h.Kid {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil, KeyNotRetrieved(RuleKeyID, fmt.Errorf("%w %q among the %d keys of the JWKS", ErrNoSuchKid, h.Kid, len(keys)))
	}
	return out, nil
}

// KidCaveat is the warning for a token without a kid header: "" when it has one.
func KidCaveat(h Header) string {
	if h.HasKid {
		return ""
	}
	return "the header has no kid: what STS does with such a token is unconfirmed AWS behaviour (it documents picking the key by exact kid, " +
		"and treats \"kid\": \"\" as a kid value); the harness, the mock STS and explain try every published key. Put the key's kid in the header"
}
