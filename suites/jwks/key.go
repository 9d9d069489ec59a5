package jwks

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
)

// stringMembers must be JSON strings when present (RFC 7517 §4, RFC 7518 §6).
var stringMembers = []string{"kty", "kid", "use", "alg", "crv", "x5u", "x5t", "x5t#S256",
	"n", "e", "x", "y", "k", "d", "p", "q", "dp", "dq", "qi"}

// base64urlMembers are unpadded base64url (RFC 7515 §2), when present.
var base64urlMembers = []string{"n", "e", "x", "y", "k", "d", "p", "q", "dp", "dq", "qi", "x5t", "x5t#S256"}

// required lists the members each key type needs (RFC 7518 §6, RFC 8037 §2).
var required = map[string][]string{
	"RSA": {"n", "e"},
	"EC":  {"crv", "x", "y"},
	"OKP": {"crv", "x"},
	"oct": {"k"},
}

// ecSizes is the coordinate length of each EC curve (RFC 7518 §6.2.1.2,
// RFC 8812 §3.1), and ecCurves its Go implementation where there is one.
var (
	ecSizes  = map[string]int{"P-256": 32, "P-384": 48, "P-521": 66, "secp256k1": 32}
	ecCurves = map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}
	// okpSizes is the key length of each OKP curve (RFC 8037 §2).
	okpSizes = map[string]int{"Ed25519": 32, "Ed448": 57, "X25519": 32, "X448": 56}
)

// inspect reads one element of the keys array and records what is wrong
// with it (JWKS-003).
func inspect(i int, raw json.RawMessage) *Key {
	k := &Key{Index: i, Raw: raw}
	if err := json.Unmarshal(raw, &k.Members); err != nil || k.Members == nil {
		k.Members = nil
		k.Problems = []string{"not a JSON object"}
		return k
	}
	bad := map[string]bool{} // members with a problem
	for _, name := range stringMembers {
		if _, present := k.Members[name]; present {
			if _, ok := k.str(name); !ok {
				k.problem("%s is not a string", name)
				bad[name] = true
			}
		}
	}
	k.KID, k.HasKID = k.str("kid")
	k.Kty, _ = k.str("kty")
	k.Crv, _ = k.str("crv")
	k.Alg, _ = k.str("alg")
	k.Use, _ = k.str("use")
	k.checkLists()
	for _, name := range base64urlMembers {
		if s, ok := k.str(name); ok {
			if err := checkBase64url(s); err != nil {
				k.problem("%s %v", name, err)
				bad[name] = true
			}
		}
	}
	if _, present := k.Members["kty"]; !present {
		k.problem("kty is missing")
		return k
	}
	need, known := required[k.Kty]
	if !known {
		return k // an unknown kty is ignored (RFC 7517 §5) and judged by JWKS-008
	}
	for _, name := range need {
		if _, present := k.Members[name]; !present {
			k.problem("%s is missing (required for kty %s)", name, k.Kty)
			bad[name] = true
		}
	}
	for _, name := range need {
		if bad[name] {
			return k
		}
	}
	switch k.Kty {
	case "RSA":
		k.parseRSA()
	case "EC":
		k.parseEC()
	case "OKP":
		k.parseOKP()
	}
	return k
}

// checkLists checks the members whose values are arrays of strings.
func (k *Key) checkLists() {
	for _, name := range []string{"key_ops", "x5c"} {
		raw, present := k.Members[name]
		if !present {
			continue
		}
		var vals []string
		if err := json.Unmarshal(raw, &vals); err != nil || vals == nil {
			k.problem("%s is not an array of strings", name)
		} else if name == "x5c" && len(vals) == 0 {
			k.problem("x5c is empty")
		}
	}
}

// str returns a member's value when it is a JSON string.
func (k *Key) str(name string) (string, bool) {
	raw, ok := k.Members[name]
	if !ok {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// bytes returns a member decoded from base64url; it is only called once the
// member has passed checkBase64url.
func (k *Key) bytes(name string) []byte {
	s, _ := k.str(name)
	b, _ := base64.RawURLEncoding.Strict().DecodeString(s)
	return b
}

func (k *Key) problem(format string, a ...any) {
	k.Problems = append(k.Problems, fmt.Sprintf(format, a...))
}

// checkBase64url reports a value that is not unpadded base64url (RFC 7515
// §2): padding, the base64 alphabet, other characters (the decoder would
// silently skip line breaks), a bad length or stray bits.
func checkBase64url(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("is empty")
	case strings.ContainsAny(s, "+/"):
		return fmt.Errorf("is standard base64 (\"+\" or \"/\"), not base64url (RFC 7515 §2)")
	case strings.Contains(s, "="):
		return fmt.Errorf("is padded base64url (\"=\" is not allowed, RFC 7515 §2)")
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return fmt.Errorf("has a character outside base64url: %q", r)
		}
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(s); err != nil {
		return fmt.Errorf("is not valid base64url: %w", err)
	}
	return nil
}

func (k *Key) parseRSA() {
	before := len(k.Problems)
	// The cap is judged on the text before any decoding (JWKS-007).
	if s, _ := k.str("n"); jwkset.CheckModulus(s) != nil {
		k.Oversize = jwkset.CheckModulus(s).Error()
		return
	}
	n, e := k.bytes("n"), k.bytes("e")
	if n[0] == 0 {
		k.problem("n has a leading zero byte (RFC 7518 §6.3.1.1: the minimum number of octets)")
	}
	if e[0] == 0 {
		k.problem("e has a leading zero byte (RFC 7518 §6.3.1.2: the minimum number of octets)")
	}
	ev := new(big.Int).SetBytes(e)
	if !ev.IsInt64() || ev.Int64() < 2 || ev.Int64() > 1<<31-1 {
		k.problem("e is out of range (%d bytes)", len(e))
	}
	if len(k.Problems) > before {
		return
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(ev.Int64())}
	if err := jwkset.CheckModulusBits(pub.N.BitLen()); err != nil {
		k.Oversize = err.Error()
		return
	}
	k.Public = pub
}

func (k *Key) parseEC() {
	size, known := ecSizes[k.Crv]
	if !known {
		k.problem("crv %q is not a registered EC curve", k.Crv)
		return
	}
	x, y := k.bytes("x"), k.bytes("y")
	short := false
	for _, c := range []struct {
		name string
		b    []byte
	}{{"x", x}, {"y", y}} {
		if len(c.b) != size {
			k.problem("%s is %d bytes, want %d for %s (RFC 7518 §6.2.1.2)", c.name, len(c.b), size, k.Crv)
			short = true
		}
	}
	curve := ecCurves[k.Crv]
	if short || curve == nil {
		return
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(curve, append(append([]byte{4}, x...), y...))
	if err != nil {
		k.problem("the point is not on %s", k.Crv)
		return
	}
	k.Public = pub
}

func (k *Key) parseOKP() {
	size, known := okpSizes[k.Crv]
	if !known {
		k.problem("crv %q is not a registered OKP curve", k.Crv)
		return
	}
	x := k.bytes("x")
	if len(x) != size {
		k.problem("x is %d bytes, want %d for %s (RFC 8037 §2)", len(x), size, k.Crv)
		return
	}
	switch k.Crv {
	case "Ed25519":
		k.Public = ed25519.PublicKey(x)
	case "X25519":
		if pub, err := ecdh.X25519().NewPublicKey(x); err == nil {
			k.Public = pub
		}
	}
}
