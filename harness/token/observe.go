// Package token is the token's side of a run: it reads a web identity token
// from its source (a file, standard input, a command, the IRSA variable),
// records what can safely be shown of it (header, claims, a redacted
// signature) and, in the probe phase, has its signature checked by the STS
// model (harness/stsrules) and, independently, by go-oidc. The rules STS
// applies to a token live in harness/stsrules, not here. A token is a credential: nothing this
// package returns, whether evidence, an error or a message, contains the whole
// token or its signature part.
package token

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
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
	d := stsrules.Decode(raw)
	_, _, sig, _ := split(raw)
	return &evidence.Token{
		Source: source, Length: d.Length, Parts: d.Parts,
		Header: d.Header, Claims: d.Claims, HeaderError: d.HeaderError, ClaimsError: d.ClaimsError,
		Signature: redact(sig), SignatureError: d.SignatureError, Undecoded: d.Undecoded,
	}
}

// IssuerOf returns the token's iss claim without verifying anything; it is
// the issuer to probe when none was given.
func IssuerOf(raw string) (string, error) {
	d := stsrules.Decode(raw)
	if d.Parts != 3 {
		return "", fmt.Errorf("token issuer: the token has %d parts, want 3 (header.claims.signature)", d.Parts)
	}
	if d.ClaimsError != "" {
		return "", fmt.Errorf("token issuer: %s", d.ClaimsError)
	}
	var c struct {
		Iss *json.RawMessage `json:"iss"`
	}
	if err := json.Unmarshal(d.Claims, &c); err != nil {
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

// clip shortens b for a message.
func clip(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
