// Package token reads a web identity token, records what can safely be shown of
// it (header, claims, a redacted signature) and verifies its signature
// independently with two libraries. A token is a credential: nothing this
// package returns, whether evidence, an error or a message, contains the whole
// token or its signature part.
package token

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// sigHashChars is how many hex characters of the signature's SHA-256 are kept.
const sigHashChars = 12

// Observe records what can be shown of raw, a compact JWS (surrounding white
// space, such as a token file's final newline, is ignored). It never fails:
// a part that does not decode is described in HeaderError or ClaimsError, and
// Parts records the shape. Header and Claims keep the decoded JSON bytes as the
// issuer wrote them, so a judge can tell 1700000000 from "1700000000" or 1.7e9.
func Observe(raw, source string) *evidence.Token {
	raw = strings.TrimSpace(raw)
	tok := &evidence.Token{Source: source, Length: utf8.RuneCountInString(raw)}
	if raw == "" {
		tok.HeaderError = "the token is empty"
		tok.ClaimsError = "the token is empty"
		return tok
	}
	header, payload, sig, parts := split(raw)
	tok.Parts = parts
	tok.Signature = redact(sig)
	tok.Header, tok.HeaderError = decodeObject("header", header)
	if parts < 2 {
		tok.ClaimsError = "no claims part (the token has no '.')"
		return tok
	}
	tok.Claims, tok.ClaimsError = decodeObject("claims", payload)
	return tok
}

// IssuerOf returns the token's iss claim without verifying anything; it is
// the issuer to probe when none was given.
func IssuerOf(raw string) (string, error) {
	_, payload, _, parts := split(strings.TrimSpace(raw))
	if parts != 3 {
		return "", fmt.Errorf("token issuer: the token has %d parts, want 3 (header.claims.signature)", parts)
	}
	claims, msg := decodeObject("claims", payload)
	if msg != "" {
		return "", fmt.Errorf("token issuer: %s", msg)
	}
	var c struct {
		Iss *json.RawMessage `json:"iss"`
	}
	if err := json.Unmarshal(claims, &c); err != nil {
		return "", fmt.Errorf("token issuer: %w", err)
	}
	if c.Iss == nil {
		return "", errors.New("token issuer: the token has no iss claim")
	}
	var iss string
	if err := json.Unmarshal(*c.Iss, &iss); err != nil || iss == "" {
		return "", fmt.Errorf("token issuer: iss is not a non-empty string: %s", clip(*c.Iss, 80))
	}
	return iss, nil
}

// split cuts raw into its first two parts and the rest. With more than three
// parts (a JWE has five) everything after the second dot counts as the
// signature, so none of it is ever shown.
func split(raw string) (header, payload, sig string, parts int) {
	if raw == "" {
		return "", "", "", 0
	}
	parts = strings.Count(raw, ".") + 1
	header, rest, ok := strings.Cut(raw, ".")
	if !ok {
		return header, "", "", parts
	}
	payload, sig, _ = strings.Cut(rest, ".")
	return header, payload, sig, parts
}

// redact describes the signature part by its length and a short hash.
func redact(sig string) evidence.RedactedSignature {
	if sig == "" {
		return evidence.RedactedSignature{}
	}
	sum := sha256.Sum256([]byte(sig))
	return evidence.RedactedSignature{Length: len(sig), SHA256: hex.EncodeToString(sum[:])[:sigHashChars]}
}

// decodeObject decodes one base64url part that must hold a JSON object. It
// returns the decoded bytes unchanged, or a message saying why there are none.
func decodeObject(name, part string) (json.RawMessage, string) {
	if part == "" {
		return nil, fmt.Sprintf("the %s part is empty", name)
	}
	if i := strings.IndexFunc(part, notBase64URL); i >= 0 {
		r, _ := utf8.DecodeRuneInString(part[i:])
		return nil, fmt.Sprintf("the %s part is not base64url: character %q at offset %d", name, r, i)
	}
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		return nil, fmt.Sprintf("the %s part is not base64url: %v", name, err)
	}
	if !json.Valid(b) {
		return nil, fmt.Sprintf("the %s part is not JSON (it starts %q)", name, clip(b, 20))
	}
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Sprintf("the %s part is JSON but not an object (it starts %q)", name, clip(b, 20))
	}
	return json.RawMessage(b), ""
}

// notBase64URL reports a rune outside the unpadded base64url alphabet (the Go
// decoder would silently skip newlines and accept nothing else, so the
// alphabet is checked first to name the offending character).
func notBase64URL(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
		return false
	}
	return true
}

// clip shortens b for a message.
func clip(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
