package stsrules

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// compact is a token split into its parts, header and claims decoded but
// nothing verified.
type compact struct {
	alg    string
	kid    string
	hasKid bool
	claims map[string]json.RawMessage
}

// parseCompact decodes a compact JWS. Its errors are InvalidIdentityToken
// with a short reason that never quotes the token.
func parseCompact(raw string) (*compact, *Error) {
	if strings.ContainsAny(raw, " \t\r\n") {
		return nil, invalid("The token contains white space")
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, invalid("The token is not a compact JWT: %d parts separated by '.', want 3", len(parts))
	}
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return nil, invalid("The token header is not unpadded base64url")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, invalid("The token payload is not unpadded base64url")
	}
	if _, err := base64.RawURLEncoding.DecodeString(parts[2]); err != nil {
		return nil, invalid("The token signature is not unpadded base64url")
	}
	// The header has few members; a struct decodes it without a map.
	var h struct {
		Alg  json.RawMessage `json:"alg"`
		Kid  json.RawMessage `json:"kid"`
		Crit json.RawMessage `json:"crit"`
	}
	if !isKind(bytes.TrimSpace(header), '{') || json.Unmarshal(header, &h) != nil {
		return nil, invalid("The token header is not a JSON object")
	}
	c := &compact{}
	if !isKind(h.Alg, '"') || json.Unmarshal(h.Alg, &c.alg) != nil || c.alg == "" {
		return nil, invalid("The token header has no alg")
	}
	if h.Kid != nil {
		if !isKind(h.Kid, '"') || json.Unmarshal(h.Kid, &c.kid) != nil {
			return nil, invalid("The token header's kid is not a string")
		}
		c.hasKid = true
	}
	if h.Crit != nil {
		return nil, invalid("The token header has crit extensions, which are not supported")
	}
	if err := json.Unmarshal(payload, &c.claims); err != nil || c.claims == nil {
		return nil, invalid("The token payload is not a JSON object")
	}
	return c, nil
}

// stringMember decodes member name of m into dst when it is a JSON string.
func stringMember(m map[string]json.RawMessage, name string, dst *string) error {
	raw, ok := m[name]
	if !ok {
		return fmt.Errorf("no %s", name)
	}
	if err := json.Unmarshal(raw, dst); err != nil || !isKind(raw, '"') {
		return fmt.Errorf("%s is not a string", name)
	}
	return nil
}

// isKind reports whether raw JSON starts with the byte that opens its kind.
func isKind(raw json.RawMessage, first byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == first
}

// claimString returns a string claim; present is false when it is absent
// or null.
func (c *compact) claimString(name string) (value string, present bool, err *Error) {
	raw, ok := c.claims[name]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return "", false, nil
	}
	if stringMember(c.claims, name, &value) != nil {
		return "", true, invalid("The token's %s claim is not a string", name)
	}
	return value, true, nil
}

// claimList returns a claim that is a string or an array of strings (aud,
// amr); present is false when it is absent or null.
func (c *compact) claimList(name string) (values []string, present bool, err *Error) {
	raw, ok := c.claims[name]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, false, nil
	}
	var one string
	if isKind(raw, '"') && json.Unmarshal(raw, &one) == nil {
		return []string{one}, true, nil
	}
	if !isKind(raw, '[') || json.Unmarshal(raw, &values) != nil {
		return nil, true, invalid("The token's %s claim is neither a string nor an array of strings", name)
	}
	return values, true, nil
}

// claimTime returns a NumericDate claim, which STS wants as a JSON integer
// ("an integer or a long integer"), not a string or a fraction.
func (c *compact) claimTime(name string) (seconds int64, present bool, err *Error) {
	raw, ok := c.claims[name]
	if !ok {
		return 0, false, nil
	}
	text := string(bytes.TrimSpace(raw))
	seconds, perr := strconv.ParseInt(text, 10, 64)
	if perr != nil {
		return 0, true, invalid("The token's %s claim must be an integer number of seconds, got %s", name, clip(text, 40))
	}
	return seconds, true, nil
}

// clip shortens s to at most n bytes for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
