package stsrules

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/lestrrat-go/jwx/v3/jwk"

	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
)

// MinRSABits is the smallest RSA modulus STS accepts (JWKS-007).
const MinRSABits = 2048

// Bounds on the work a hostile key set can cause.
const (
	// MaxKeys is the most keys ParseJWKS reads: ten times IAM's limit of
	// 100 per type (KeyLimitCaveat, JWKS-010).
	MaxKeys = jwkset.MaxKeys
	// MaxCandidates is the most keys CheckSignature tries for one token
	// (a token without kid selects every key): IAM's 100 per key type,
	// twice.
	MaxCandidates = 200
)

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
		var over *jwkset.CapError
		if errors.As(err, &over) { // a size no verifier takes: JWKS-007's
			k.Unusable, k.Problem = RuleKeySize, over.Error()
			return k
		}
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
// nothing and the verifier much. The cap is jwkset's, shared with the JWKS
// suite, judged from the length of n's text before any decoding.
const MaxRSABits = jwkset.MaxRSABits

// parseRSA reads an RSA public JWK by hand (jwx refuses moduli under 2048
// bits, which are RuleKeySize's, not a parse failure): n at most
// MaxRSABits, e an odd integer above 1 of at most 4 bytes. Like jwx, and
// like the model before it, it takes n and e in padded or standard base64
// too: whether STS does is unconfirmed, so the model does not refuse what
// JWKS-003 fails as a breach of RFC 7518 §6.3.1 (unpadded base64url), and a
// leading zero byte in n is read as the number it is.
func parseRSA(raw json.RawMessage) (*rsa.PublicKey, error) {
	var m struct {
		N, E string
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, errors.New("n and e are not strings")
	}
	if err := jwkset.CheckModulus(m.N); err != nil {
		return nil, err
	}
	n, err := decodeBase64(m.N)
	if err != nil || len(n) == 0 {
		return nil, errors.New("n is not base64")
	}
	e, err := decodeBase64(m.E)
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, errors.New("e is not base64 of 1 to 4 bytes")
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n)}
	if err := jwkset.CheckModulusBits(pub.N.BitLen()); err != nil {
		return nil, err
	}
	for _, b := range e {
		pub.E = pub.E<<8 | int(b)
	}
	if pub.E < 3 || pub.E%2 == 0 {
		return nil, fmt.Errorf("e is %d, not an odd integer above 1", pub.E)
	}
	return pub, nil
}

// decodeBase64 decodes s as unpadded or padded base64url, or standard
// base64, as jwx does.
func decodeBase64(s string) ([]byte, error) {
	var err error
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.StdEncoding} {
		var b []byte
		if b, err = enc.Strict().DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, err
}
