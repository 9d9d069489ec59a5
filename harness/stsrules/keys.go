package stsrules

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/lestrrat-go/jwx/v3/jwk"
)

// MinRSABits is the smallest RSA modulus STS accepts (JWKS-007).
const MinRSABits = 2048

// Bounds on the work a hostile key set can cause.
const (
	// MaxKeys is the most keys ParseJWKS reads: ten times IAM's limit of
	// 100 (JWKS-010 judges that limit).
	MaxKeys = 1000
	// MaxCandidates is the most keys CheckSignature tries for one token
	// (a token without kid selects every key): IAM's 100 per key type,
	// twice.
	MaxCandidates = 200
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

// ParseJWKS is RuleKeySet: body is a JSON object whose keys array holds at
// least one key. Every member is returned, in order, usable or not (an
// unusable key is judged only if the token selects it).
func ParseJWKS(body []byte) ([]Key, *Error) {
	var set struct {
		Keys *[]json.RawMessage `json:"keys"`
	}
	if m, err := parseObject(body); err != nil || m == nil {
		return nil, KeyNotRetrieved(RuleKeySet, fmt.Errorf("the JWKS is not a JSON object: %v", err))
	}
	if err := json.Unmarshal(body, &set); err != nil || set.Keys == nil {
		return nil, KeyNotRetrieved(RuleKeySet, errors.New("the JWKS has no keys array"))
	}
	if len(*set.Keys) == 0 {
		return nil, KeyNotRetrieved(RuleKeySet, errors.New("the JWKS's keys array is empty"))
	}
	if len(*set.Keys) > MaxKeys {
		return nil, KeyNotRetrieved(RuleKeySet, fmt.Errorf("the JWKS has %d keys, over the %d the model reads", len(*set.Keys), MaxKeys))
	}
	keys := make([]Key, len(*set.Keys))
	for i, raw := range *set.Keys {
		keys[i] = parseKey(i, raw)
	}
	return keys, nil
}

// parseKey reads one JWK.
func parseKey(i int, raw json.RawMessage) Key {
	k := Key{Index: i}
	var m struct {
		Kid json.RawMessage `json:"kid"`
		Kty string          `json:"kty"`
		Alg string          `json:"alg"`
		Use string          `json:"use"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		k.Unusable, k.Problem = RuleKeyParse, "not a JSON object with string members"
		return k
	}
	if m.Kid != nil && json.Unmarshal(m.Kid, &k.ID) == nil && isKind(m.Kid, '"') {
		k.HasID = true
	}
	k.Type, k.Algorithm, k.Use = m.Kty, m.Alg, m.Use
	switch m.Kty {
	case "RSA", "EC":
	case "oct":
		k.Unusable, k.Problem = RuleKeySymmetric, "a symmetric (oct) key, which STS cannot verify with"
		return k
	default:
		k.Unusable, k.Problem = RuleKeyType, fmt.Sprintf("kty %q, not RSA or EC", clip(m.Kty, 20))
		return k
	}
	if m.Kty == "RSA" {
		pub, err := parseRSA(raw)
		if err != nil {
			k.Unusable, k.Problem = RuleKeyParse, fmt.Sprintf("does not parse: %v", err)
			return k
		}
		k.Public = pub
		return k
	}
	parsed, err := jwk.ParseKey(raw)
	if err != nil {
		k.Unusable, k.Problem = RuleKeyParse, fmt.Sprintf("does not parse: %v", err)
		return k
	}
	pub, err := jwk.PublicRawKeyOf(parsed)
	if err != nil {
		k.Unusable, k.Problem = RuleKeyParse, fmt.Sprintf("has no public key: %v", err)
		return k
	}
	switch pub.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey:
		k.Public = pub
	default:
		k.Unusable, k.Problem = RuleKeyType, fmt.Sprintf("a %T key, not RSA or EC", pub)
	}
	return k
}

// MaxRSABits caps the RSA modulus the model reads: a larger one is not a
// key STS would verify with, and checking it would cost a hostile issuer
// nothing and the verifier much.
const MaxRSABits = 16384

// parseRSA reads an RSA public JWK by hand: n and e unpadded base64url
// (RFC 7518 §6.3.1; jwx would also take padded or standard base64, and
// refuses moduli under 2048 bits, which are RuleKeySize's), n at most
// MaxRSABits, e an odd integer above 1 that fits an int.
func parseRSA(raw json.RawMessage) (*rsa.PublicKey, error) {
	var m struct {
		N, E string
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, errors.New("n and e are not strings")
	}
	n, err := base64.RawURLEncoding.Strict().DecodeString(m.N)
	if err != nil || len(n) == 0 {
		return nil, errors.New("n is not unpadded base64url")
	}
	e, err := base64.RawURLEncoding.Strict().DecodeString(m.E)
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, errors.New("e is not unpadded base64url of at most 4 bytes")
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n)}
	if bits := pub.N.BitLen(); bits > MaxRSABits {
		return nil, fmt.Errorf("the modulus is %d bits, over %d", bits, MaxRSABits)
	}
	for _, b := range e {
		pub.E = pub.E<<8 | int(b)
	}
	if pub.E < 3 || pub.E%2 == 0 {
		return nil, fmt.Errorf("e is %d, not an odd integer above 1", pub.E)
	}
	return pub, nil
}

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

// Signer is the key that verified a token's signature.
type Signer struct {
	Key
	// Of is how many keys were candidates (several when a kid is duplicated
	// or the token has none).
	Of int
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
