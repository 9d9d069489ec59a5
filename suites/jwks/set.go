// Package jwks judges the key set an issuer serves at its jwks_uri against
// RFC 7517/7518 and what AWS STS accepts: checks JWKS-001 to JWKS-015.
//
// The set is read from the raw JSON rather than through a JOSE library:
// libraries accept duplicate kids, empty sets, bare keys, padded base64url and
// RSA moduli with a leading zero byte, all of which are findings here. Parse
// and Key are exported for the rotation suite, which compares key sets
// observed at different times and places.
package jwks

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
	"github.com/oidc-conformance/oidc-conformance/suites/discovery"
)

// Set is a JWK Set as published: its keys in order, each with what was
// wrong with it.
type Set struct {
	// Keys are the first jwkset.MaxKeys elements, inspected.
	Keys []*Key
	// Total is the length of the keys array: JWKS-010 counts it; the
	// elements past Keys are not inspected (the work stays bounded).
	Total int
	// rest are the elements past Keys, for HasKID.
	rest []json.RawMessage
}

// inspected names the keys judged, for a message: "3 keys", or "the first
// 1000 of 10000 keys" when the set is longer than jwkset.MaxKeys.
func (s *Set) inspected() string {
	if s.Total > len(s.Keys) {
		return fmt.Sprintf("the first %d of %d keys (the rest are not inspected)", len(s.Keys), s.Total)
	}
	return plural(len(s.Keys), "key")
}

// HasKID reports whether a key of the whole set has exactly this kid,
// looking past the inspected keys when needed.
func (s *Set) HasKID(kid string) bool {
	for _, k := range s.Keys {
		if k.HasKID && k.KID == kid {
			return true
		}
	}
	for _, raw := range s.rest {
		var m struct {
			KID *string `json:"kid"`
		}
		if json.Unmarshal(raw, &m) == nil && m.KID != nil && *m.KID == kid {
			return true
		}
	}
	return false
}

// Key is one element of a set's keys array, as published.
type Key struct {
	// Index is the position in the keys array.
	Index int
	// Raw is the element exactly as served.
	Raw json.RawMessage
	// Members are the element's members; nil when it is not a JSON object.
	Members map[string]json.RawMessage
	// KID is the kid when HasKID; HasKID is false when kid is absent or not
	// a string. A kid of "" has HasKID true.
	KID    string
	HasKID bool
	// Kty, Crv, Alg and Use are those members when they are strings, else "".
	Kty, Crv, Alg, Use string
	// Public is the parsed public key (*rsa.PublicKey, *ecdsa.PublicKey,
	// ed25519.PublicKey or *ecdh.PublicKey); nil when the key does not parse
	// or its type has no Go implementation (oct, secp256k1, Ed448, X448).
	Public crypto.PublicKey
	// Problems say why the key does not parse (JWKS-003); empty when it does.
	Problems []string
	// Oversize says the key is over jwkset's size cap (an RSA modulus over
	// 16384 bits), judged from its text before any arithmetic: a JWKS-007
	// finding; Public is then nil, as no verifier uses it. "" otherwise.
	Oversize string
}

// Name names the key in a finding: its kid, or its index when it has none.
func (k *Key) Name() string {
	switch {
	case k.HasKID && k.KID != "":
		return fmt.Sprintf("kid %q", k.KID)
	case k.HasKID:
		return fmt.Sprintf("keys[%d] (kid \"\")", k.Index)
	}
	return fmt.Sprintf("keys[%d]", k.Index)
}

// Material identifies the key's public material: its RFC 7638 thumbprint
// when it has the required members, else a hash of the element as served
// (prefixed "unparsed:"), so two observations of a broken key still compare.
func (k *Key) Material() string {
	if tp, err := k.Thumbprint(); err == nil {
		return tp
	}
	sum := sha256.Sum256(k.Raw)
	return "unparsed:" + hex.EncodeToString(sum[:])
}

// Parse reads body as a JWK Set: exactly one JSON object with a non-empty
// keys array (RFC 7517 §5). An error is a JWKS-002 failure; problems with
// single keys are recorded in each Key instead.
//
// A body is parsed once while it is remembered (jwkset.Memo, by digest):
// every check and every observation of the same key set share the result,
// which callers must not modify.
func Parse(body []byte) (*Set, error) { return parsed.Get(body, parse) }

// parsed remembers the sets parsed lately (a pure cache).
var parsed jwkset.Memo[*Set]

func parse(body []byte) (*Set, error) {
	doc, err := discovery.ParseObject(body)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	raw, ok := doc["keys"]
	if !ok {
		if _, bare := doc["kty"]; bare {
			return nil, errors.New("jwks: a bare JWK, not a JWK Set: there is no keys member (RFC 7517 §5)")
		}
		return nil, errors.New("jwks: the object has no keys member (RFC 7517 §5)")
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil || elems == nil {
		return nil, fmt.Errorf("jwks: keys is not an array but %s", jsonKind(raw))
	}
	if len(elems) == 0 {
		return nil, errors.New("jwks: keys is empty")
	}
	s := &Set{Total: len(elems)}
	if len(elems) > jwkset.MaxKeys {
		s.rest = elems[jwkset.MaxKeys:]
		elems = elems[:jwkset.MaxKeys]
	}
	s.Keys = make([]*Key, len(elems))
	for i, e := range elems {
		s.Keys[i] = inspect(i, e)
	}
	return s, nil
}

// FromExchange parses the key set a fetch answered with, or says why there
// is none: no answer, not 200, over the cap, or not a JWK Set.
func FromExchange(ex *evidence.Exchange) (*Set, error) {
	h, err := answer(ex)
	if err != nil {
		return nil, err
	}
	return Parse(h.Body)
}

// answer returns the final hop of ex when it is a complete 200 answer.
// Redirects are JWKS-001's business, not a reason to judge nothing.
func answer(ex *evidence.Exchange) (*evidence.Hop, error) {
	h := ex.Final()
	switch {
	case ex == nil:
		return nil, errors.New("jwks: not fetched")
	case h == nil:
		return nil, fmt.Errorf("jwks: GET %s: %s", ex.URL, ex.Err)
	case h.Truncated:
		return nil, fmt.Errorf("jwks: the body of %s is over the size cap", h.URL)
	case h.Status != 200:
		return nil, fmt.Errorf("jwks: GET %s answered %d", h.URL, h.Status)
	case ex.Err != "":
		return nil, fmt.Errorf("jwks: GET %s: %s", ex.URL, ex.Err)
	}
	return h, nil
}

// jsonKind names the kind of a JSON value for a message, without showing
// it (it may hold private key material).
func jsonKind(raw json.RawMessage) string {
	switch b := bytes.TrimSpace(raw); {
	case len(b) == 0:
		return "empty"
	case b[0] == '{':
		return "an object"
	case b[0] == '"':
		return "a string"
	case b[0] == 'n':
		return "null"
	case b[0] == 't' || b[0] == 'f':
		return "a boolean"
	}
	return "a number"
}

// preview is the start of a body for a message, shown only when it is not
// JSON (an HTML error page, an S3 XML error): JSON may hold private keys.
func preview(b []byte) string {
	const n = 60
	if t := bytes.TrimSpace(b); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return ""
	}
	if len(b) > n {
		b = b[:n]
	}
	return fmt.Sprintf(" (body starts %q)", b)
}
