// Package jwkset parses a key set (a JWKS body) for signature verification,
// with caps that bound the work before any of it is done: at most MaxKeys
// keys are parsed (the rest are counted, and looked at only when a token
// names one of them by kid); an RSA modulus over MaxRSABits, an RSA exponent
// over 31 bits or an EC key on a curve other than P-256, P-384 and P-521 is
// rejected by the length of its base64url text, before any big-integer or
// curve arithmetic, and never used to verify (Key.Rejected says why). Parsed
// sets are remembered by the SHA-256 of the body, so a set judged by many
// checks, or fetched again unchanged, is parsed once.
//
// Every verifier of the project goes through it: the probe's jwx and go-oidc
// verification (harness/token), the STS model's key set (ParseJWKS, used by
// the mock STS and explain), and the JWKS suite's size rule (CheckRSA).
//
// Call Parse for a whole set, Set.ForKID for the keys a token names, and
// CheckRSA / CheckEC to apply the same caps to a key read some other way.
package jwkset

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// Caps of a parsed set.
const (
	// MaxKeys is how many keys of a set are parsed; the rest are counted.
	MaxKeys = 1000
	// MaxRSABits is the largest RSA modulus used to verify (the largest
	// that common JOSE libraries and Go's crypto/x509 accept).
	MaxRSABits = 16384
	// maxExponentBytes bounds e: STS and every JOSE library use 65537.
	maxExponentBytes = 4
)

// ecCurves are the EC curves a verifier implements (RFC 7518 §6.2.1.1).
var ecCurves = map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}

// Key is one element of the keys array.
type Key struct {
	// Index is the position in the keys array.
	Index int
	// Raw is the element as served (a copy).
	Raw json.RawMessage
	// KID is the kid when HasKID (kid present and a string).
	KID    string
	HasKID bool
	// Kty, Crv, Alg and Use are those members when they are strings.
	Kty, Crv, Alg, Use string
	// Public is the RSA or EC public key (the public half of a published
	// private key); nil when the key is not an RSA or EC key, does not
	// parse, or is Rejected.
	Public crypto.PublicKey
	// Rejected says why a key was refused by a cap (a modulus over
	// MaxRSABits, an unknown curve): such a key is a finding, never used to
	// verify. "" otherwise.
	Rejected string
}

// privateMembers carry the private half of an RSA, EC or OKP key (RFC 7518
// §6.2.2, §6.3.2; RFC 8037 §2). An oct key's k is its only member and
// stays: no STS algorithm uses one, and the verifiers refuse it.
var privateMembers = []string{"d", "p", "q", "dp", "dq", "qi", "oth"}

// PublicJSON is the element without its private members: what a verifier
// needs, and all it gets, so a published private key (or its redacted
// placeholder in evidence) changes nothing for verification.
func (k *Key) PublicJSON() json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(k.Raw, &m) != nil {
		return k.Raw
	}
	for _, name := range privateMembers {
		delete(m, name)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return k.Raw
	}
	return b
}

// Name names the key in a message: its kid, or its index.
func (k *Key) Name() string {
	if k.HasKID {
		return fmt.Sprintf("kid %q", k.KID)
	}
	return fmt.Sprintf("keys[%d]", k.Index)
}

// Set is a parsed key set.
type Set struct {
	// Keys are the first MaxKeys elements, in order.
	Keys []*Key
	// Total is the length of the keys array; Total-len(Keys) were not parsed.
	Total int
	// rest are the unparsed elements with their kids, for ForKID.
	rest []restKey
}

type restKey struct {
	index int
	kid   string
	raw   json.RawMessage
}

// Unparsed is how many keys were counted but not parsed (over MaxKeys).
func (s *Set) Unparsed() int { return s.Total - len(s.Keys) }

// ForKID returns the keys published under kid, parsing (with the caps) the
// ones past MaxKeys when needed, so a token is verified with the key it
// names however many keys there are.
func (s *Set) ForKID(kid string) []*Key {
	var out []*Key
	for _, k := range s.Keys {
		if k.HasKID && k.KID == kid {
			out = append(out, k)
		}
	}
	for _, r := range s.rest {
		if r.kid == kid {
			out = append(out, parseKey(r.index, r.raw))
		}
	}
	return out
}

// Parse reads body as a JWK Set (an object with a keys array) and parses
// its first MaxKeys keys. The result is shared: callers must not modify it.
func Parse(body []byte) (*Set, error) {
	return parsed.Get(body, parse)
}

// parsed remembers the sets parsed lately (a pure cache, see Memo).
var parsed Memo[*Set]

func parse(body []byte) (*Set, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("parse JWKS: %w", fetch.DescribeBody(err, body))
	}
	if doc.Keys == nil {
		return nil, errors.New("parse JWKS: no keys array")
	}
	s := &Set{Total: len(doc.Keys)}
	for i, raw := range doc.Keys {
		if i < MaxKeys {
			s.Keys = append(s.Keys, parseKey(i, raw))
			continue
		}
		var m struct {
			KID *string `json:"kid"`
		}
		if json.Unmarshal(raw, &m) == nil && m.KID != nil {
			s.rest = append(s.rest, restKey{index: i, kid: *m.KID, raw: raw})
		}
	}
	return s, nil
}

// parseKey reads one element: its names, and its public key when it is an
// RSA or EC key within the caps.
func parseKey(i int, raw json.RawMessage) *Key {
	k := &Key{Index: i, Raw: raw}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return k
	}
	str := func(name string) (string, bool) {
		var v string
		b, ok := m[name]
		if !ok || json.Unmarshal(b, &v) != nil {
			return "", false
		}
		return v, true
	}
	k.KID, k.HasKID = str("kid")
	k.Kty, _ = str("kty")
	k.Crv, _ = str("crv")
	k.Alg, _ = str("alg")
	k.Use, _ = str("use")
	var err error
	switch k.Kty {
	case "RSA":
		n, _ := str("n")
		e, _ := str("e")
		var pub *rsa.PublicKey
		if pub, err = RSA(n, e); err == nil {
			k.Public = pub
		}
	case "EC":
		x, _ := str("x")
		y, _ := str("y")
		var pub *ecdsa.PublicKey
		if pub, err = EC(k.Crv, x, y); err == nil {
			k.Public = pub
		}
	default:
		return k
	}
	var c *CapError
	if errors.As(err, &c) {
		k.Rejected = c.Error()
	}
	return k
}

// CapError is a key refused by a cap: a finding, not a malformed key.
type CapError struct{ msg string }

// Error says which cap and by how much.
func (e *CapError) Error() string { return e.msg }

// CheckRSA applies the caps to an RSA key's base64url n and e without
// decoding them: a modulus longer than MaxRSABits (an exponent longer than
// 4 bytes) is a *CapError. The length is judged from the text, so a
// million-character modulus costs nothing.
func CheckRSA(n, e string) error {
	if err := CheckModulus(n); err != nil {
		return err
	}
	if len(e) > base64.RawURLEncoding.EncodedLen(maxExponentBytes) {
		return &CapError{fmt.Sprintf("RSA exponent of about %d bits, over the 32-bit cap: not used to verify",
			base64.RawURLEncoding.DecodedLen(len(e))*8)}
	}
	return nil
}

// CheckModulus is CheckRSA's rule for the modulus alone, judged from the
// length of its base64url text n.
func CheckModulus(n string) error {
	// A modulus of MaxRSABits may carry one (non-minimal) leading zero byte.
	if len(n) > base64.RawURLEncoding.EncodedLen(MaxRSABits/8+1) {
		return &CapError{fmt.Sprintf("RSA modulus of about %d bits, over the %d-bit cap: not used to verify",
			base64.RawURLEncoding.DecodedLen(len(n))*8, MaxRSABits)}
	}
	return nil
}

// CheckModulusBits is the cap on a decoded modulus of bits bits.
func CheckModulusBits(bits int) error {
	if bits > MaxRSABits {
		return &CapError{fmt.Sprintf("RSA modulus of %d bits, over the %d-bit cap: not used to verify", bits, MaxRSABits)}
	}
	return nil
}

// CheckEC refuses a curve no verifier implements, as a *CapError.
func CheckEC(crv string) error {
	if ecCurves[crv] == nil {
		return &CapError{fmt.Sprintf("EC key on curve %q, not P-256, P-384 or P-521: not used to verify", crv)}
	}
	return nil
}

// RSA parses an RSA public key from base64url n and e, caps first.
func RSA(n, e string) (*rsa.PublicKey, error) {
	if err := CheckRSA(n, e); err != nil {
		return nil, err
	}
	nb, err := base64.RawURLEncoding.DecodeString(n)
	if err != nil || len(nb) == 0 {
		return nil, fmt.Errorf("RSA n is not base64url")
	}
	eb, err := base64.RawURLEncoding.DecodeString(e)
	if err != nil || len(eb) == 0 {
		return nil, fmt.Errorf("RSA e is not base64url")
	}
	N := new(big.Int).SetBytes(nb)
	if err := CheckModulusBits(N.BitLen()); err != nil {
		return nil, err
	}
	E := new(big.Int).SetBytes(eb)
	if !E.IsInt64() || E.Int64() < 2 || E.Int64() > 1<<31-1 {
		return nil, fmt.Errorf("RSA e is out of range")
	}
	return &rsa.PublicKey{N: N, E: int(E.Int64())}, nil
}

// EC parses an EC public key on crv from base64url x and y, caps first.
func EC(crv, x, y string) (*ecdsa.PublicKey, error) {
	if err := CheckEC(crv); err != nil {
		return nil, err
	}
	curve := ecCurves[crv]
	size := (curve.Params().BitSize + 7) / 8
	if len(x) != base64.RawURLEncoding.EncodedLen(size) || len(y) != len(x) {
		return nil, fmt.Errorf("EC x or y is not %d bytes", size)
	}
	xb, err1 := base64.RawURLEncoding.DecodeString(x)
	yb, err2 := base64.RawURLEncoding.DecodeString(y)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("EC x or y is not base64url")
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, append(append([]byte{4}, xb...), yb...))
	if err != nil {
		return nil, fmt.Errorf("EC point is not on %s", crv)
	}
	return pub, nil
}
