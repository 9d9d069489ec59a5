package stsrules

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// WebIdentityToken's length bounds, in characters (STS API reference).
const (
	MinTokenLength = 4
	MaxTokenLength = 20000
)

// MaxDecodedBytes is the longest token, in bytes, whose parts Decode
// decodes: over three times STS's limit (RuleTokenLength refuses it first
// in any case), so that a hostile token of a megabyte costs a count of its
// characters, not a decoding and a parse of its JSON.
const MaxDecodedBytes = 64 << 10

// TooLongToDecode reports whether raw (trimmed) is over MaxDecodedBytes
// and STS's MaxTokenLength characters: measured, never decoded nor
// verified. (More bytes than that in fewer characters is not base64url,
// which Decode says cheaply.)
func TooLongToDecode(raw string) bool {
	return len(raw) > MaxDecodedBytes && utf8.RuneCountInString(raw) > MaxTokenLength
}

// JWEParts is how many parts a compact JWE has (RFC 7516 §7.1).
const JWEParts = 5

// Token is a web identity token as the rules read it: its shape and its
// decoded header and claims, never its signature. It is built from the raw
// token (Decode, for the mock STS, explain and the probe) or from a run's
// evidence (FromEvidence, for the claims suite), and the rules answer the
// same from either.
type Token struct {
	// Length is the token's length in characters; Parts the number of
	// dot-separated parts.
	Length, Parts int
	// Header and Claims are the decoded JSON of the first two parts, nil
	// when a part does not decode; HeaderError and ClaimsError say why.
	Header, Claims           json.RawMessage
	HeaderError, ClaimsError string
	// SignatureError says why the third part is not unpadded base64url.
	SignatureError string
	// SignatureLength is the length of the third part.
	SignatureLength int
	// Undecoded is true for a token measured and not decoded
	// (TooLongToDecode): Header and Claims are nil whatever it holds, and
	// no rule but RuleTokenLength (which refuses it) can judge it.
	Undecoded bool

	// parsed is what Decode already parsed of Header and Claims, so that
	// the rules read each part once; nil for a Token built otherwise
	// (FromEvidence, a literal), whose parts the rules parse when asked.
	parsed *parsedParts
}

// parsedParts are the parsed header and claims of a decoded token.
type parsedParts struct {
	header, claims map[string]json.RawMessage
	fields         headerFields
}

// headerFields are the header members the rules read, decoded as
// encoding/json matches struct fields (the last member whose name matches,
// case-insensitively, wins), as ReadHeader and CheckShape always did.
type headerFields struct {
	Alg  json.RawMessage `json:"alg"`
	Kid  json.RawMessage `json:"kid"`
	Crit json.RawMessage `json:"crit"`
}

// Decode reads raw (surrounding white space, such as a token file's final
// newline, ignored). It never fails: what does not decode is described in
// the *Error fields, for CheckShape. With more than three parts (a JWE has
// five) everything after the second dot counts as the signature. A token
// over MaxDecodedBytes and STS's MaxTokenLength characters is measured
// (Length, Parts) and not decoded.
func Decode(raw string) *Token {
	raw = strings.TrimSpace(raw)
	t := &Token{Length: utf8.RuneCountInString(raw)}
	if raw == "" {
		t.HeaderError, t.ClaimsError = "the token is empty", "the token is empty"
		return t
	}
	t.Parts = strings.Count(raw, ".") + 1
	header, rest, ok := strings.Cut(raw, ".")
	payload, sig, _ := strings.Cut(rest, ".")
	if TooLongToDecode(raw) {
		why := fmt.Sprintf("not decoded: the token is %d bytes, over the %d bytes the harness decodes (it is only measured)", len(raw), MaxDecodedBytes)
		t.HeaderError, t.ClaimsError, t.SignatureLength, t.Undecoded = why, why, len(sig), true
		return t
	}
	var hm, cm map[string]json.RawMessage
	t.Header, hm, t.HeaderError = decodeObject("header", header)
	if !ok {
		t.ClaimsError = "no claims part (the token has no '.')"
		return t
	}
	t.Claims, cm, t.ClaimsError = decodeObject("claims", payload)
	t.SignatureLength = len(sig)
	if t.Parts == 3 {
		t.SignatureError = signatureProblem(sig)
	}
	if hm != nil && cm != nil {
		p := &parsedParts{header: hm, claims: cm}
		if fields, ok := fieldsOf(hm); ok {
			p.fields, t.parsed = fields, p
		} else if json.Unmarshal(t.Header, &p.fields) == nil {
			t.parsed = p
		}
	}
	return t
}

// fieldsOf reads headerFields from the header's members when that is
// certain to give what json.Unmarshal gives: every member name ASCII, and
// none that matches alg, kid or crit only case-insensitively. ok is false
// otherwise (json.Unmarshal then decides).
func fieldsOf(m map[string]json.RawMessage) (headerFields, bool) {
	for k := range m {
		for i := 0; i < len(k); i++ {
			if k[i] >= utf8.RuneSelf {
				return headerFields{}, false
			}
		}
		switch k {
		case "alg", "kid", "crit":
			continue
		}
		if strings.EqualFold(k, "alg") || strings.EqualFold(k, "kid") || strings.EqualFold(k, "crit") {
			return headerFields{}, false
		}
	}
	return headerFields{Alg: m["alg"], Kid: m["kid"], Crit: m["crit"]}, true
}

// headerFields decodes the header's alg, kid and crit members; ok is false
// when the header is not a JSON object.
func (t *Token) headerFields() (headerFields, bool) {
	if t.parsed != nil {
		return t.parsed.fields, true
	}
	var f headerFields
	return f, json.Unmarshal(t.Header, &f) == nil
}

// FromEvidence is the Token a run recorded.
func FromEvidence(e *evidence.Token) *Token {
	return &Token{
		Length: e.Length, Parts: e.Parts,
		Header: e.Header, Claims: e.Claims, HeaderError: e.HeaderError, ClaimsError: e.ClaimsError,
		SignatureError: e.SignatureError, SignatureLength: e.Signature.Length, Undecoded: e.Undecoded,
	}
}

// CheckLength is RuleTokenLength: 4..20000 characters (STS's; TOK-013).
func (t *Token) CheckLength() *Error {
	bound := ""
	switch {
	case t.Length < MinTokenLength:
		bound = fmt.Sprintf("greater than or equal to %d", MinTokenLength)
	case t.Length > MaxTokenLength:
		bound = fmt.Sprintf("less than or equal to %d", MaxTokenLength)
	default:
		return nil
	}
	why := fmt.Sprintf("the token has %d characters, over STS's limit of %d", t.Length, MaxTokenLength)
	if t.Length < MinTokenLength {
		why = fmt.Sprintf("the token has %d characters, under STS's minimum of %d", t.Length, MinTokenLength)
	}
	return refuse(RuleTokenLength, msgTokenLength+bound, errors.New(why))
}

// CheckShape is RuleCompactJWS: three parts, header and claims JSON
// objects, the signature unpadded base64url (empty is well formed: an
// unsigned token is RuleSigningAlgorithm's), no crit header. A five-part token is
// named as the JWE it is.
func (t *Token) CheckShape() *Error {
	switch {
	case t.Parts == JWEParts:
		return refusef(RuleCompactJWS, "an encrypted token (JWE): STS needs a signed JWT (a JWS of 3 parts), not an encrypted one of %d", JWEParts)
	case t.Parts != 3:
		return refusef(RuleCompactJWS, "The token is not a compact JWT: %d parts separated by '.', want 3 (header.claims.signature)", t.Parts)
	case t.HeaderError != "":
		return refusef(RuleCompactJWS, "%s", t.HeaderError)
	case t.ClaimsError != "":
		return refusef(RuleCompactJWS, "%s", t.ClaimsError)
	case t.SignatureError != "":
		return refusef(RuleCompactJWS, "%s", t.SignatureError)
	case t.SignatureLength%4 == 1:
		return refusef(RuleCompactJWS, "the signature part is %d characters, a length base64url cannot have", t.SignatureLength)
	}
	// Evidence may have been edited by hand: the parts must still be objects
	// (what Decode parsed is).
	if t.parsed == nil {
		for _, part := range []struct {
			name string
			b    json.RawMessage
		}{{"header", t.Header}, {"claims", t.Claims}} {
			if _, err := parseObject(part.b); err != nil {
				return refusef(RuleCompactJWS, "the %s part is not a JSON object: %v", part.name, err)
			}
		}
	}
	if h, ok := t.headerFields(); ok && h.Crit != nil {
		return refusef(RuleCompactJWS, "The token header has crit extensions, which STS does not support")
	}
	return nil
}

// Header is what the rules read of a token's header.
type Header struct {
	// Alg is the alg member, "" when absent or not a string.
	Alg string
	// Kid is the kid member; HasKid is false when there is none.
	Kid    string
	HasKid bool
}

// ReadHeader reads alg and kid: RuleSigningAlgorithm when alg is absent or
// not a string, RuleKeyID when kid is not a string. The shape is CheckShape's.
func (t *Token) ReadHeader() (Header, *Error) {
	var out Header
	h, ok := t.headerFields()
	if !ok {
		return out, refusef(RuleCompactJWS, "The token header is not a JSON object")
	}
	if out.Alg, ok = JSONString(h.Alg); !ok || out.Alg == "" {
		return out, refusef(RuleSigningAlgorithm, "The token header has no alg (or it is not a string): a signed token names one of %s", strings.Join(SignatureAlgorithms, ", "))
	}
	if h.Kid != nil {
		if out.Kid, ok = JSONString(h.Kid); !ok {
			return out, KeyNotRetrieved(RuleKeyID, fmt.Errorf("the token header's kid is not a string: %s", clip(string(h.Kid), 40)))
		}
		out.HasKid = true
	}
	return out, nil
}

// decodeObject decodes one base64url part that must hold exactly one JSON
// object. It returns the decoded bytes unchanged and their members, or a
// message saying why there are none; the message quotes at most the start of
// the decoded part. A part that parses as one object is valid JSON that
// starts with '{': the finer diagnosis runs only for a part that does not.
func decodeObject(name, part string) (json.RawMessage, map[string]json.RawMessage, string) {
	if part == "" {
		return nil, nil, "the " + name + " part is empty"
	}
	if i := indexNotBase64URL(part); i >= 0 {
		r, _ := utf8.DecodeRuneInString(part[i:])
		return nil, nil, fmt.Sprintf("the %s part is not base64url: character %q at offset %d", name, r, i)
	}
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return nil, nil, fmt.Sprintf("the %s part is not base64url: %v", name, err)
	}
	m, perr := parseObject(b)
	switch {
	case perr == nil:
		return json.RawMessage(b), m, ""
	case !json.Valid(b):
		return nil, nil, fmt.Sprintf("the %s part is not JSON (it starts %q)", name, clip(string(b), 20))
	}
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, nil, fmt.Sprintf("the %s part is JSON but not an object (it starts %q)", name, clip(string(b), 20))
	}
	return nil, nil, fmt.Sprintf("the %s part is not a JSON object: %v", name, perr)
}

// signatureProblem says why a signature part is not unpadded base64url,
// naming the position, never the characters around it.
func signatureProblem(sig string) string {
	if i := indexNotBase64URL(sig); i >= 0 {
		return fmt.Sprintf("the signature part is not base64url: a character outside the alphabet at offset %d", i)
	}
	if len(sig)%4 == 1 {
		return fmt.Sprintf("the signature part is %d characters, a length base64url cannot have", len(sig))
	}
	return ""
}

// parseObject parses b as exactly one JSON object (no trailing data).
// A valid object with plain member names is read by members, without
// reflection; json.Unmarshal accepts exactly the documents the decoder below
// does, and is cheaper; the decoder runs only to say why a document is
// refused.
func parseObject(b []byte) (map[string]json.RawMessage, error) {
	if m, ok := members(b); ok {
		return m, nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) == nil && m != nil {
		return m, nil
	}
	return parseObjectSlow(b)
}

// parseObjectSlow is parseObject with the decoder's reasons for a refusal.
func parseObjectSlow(b []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var m map[string]json.RawMessage
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("null is not an object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the object")
	}
	return m, nil
}

// indexNotBase64URL is strings.IndexFunc(s, notBase64URL), the byte loop
// first: a part that is all base64url (as every part of a good token is)
// needs no rune decoding.
func indexNotBase64URL(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return strings.IndexFunc(s, notBase64URL)
		}
	}
	return -1
}

// notBase64URL reports a rune outside the unpadded base64url alphabet.
func notBase64URL(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
		return false
	}
	return true
}

// isKind reports whether raw JSON starts with the byte that opens its kind.
func isKind(raw json.RawMessage, first byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == first
}

// clip shortens s to at most n bytes for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
