// Package claims judges the web identity token against what STS and RFC 7519
// require: checks TOK-001 to TOK-011. It reads only the evidence (the decoded
// header and claims, the redacted signature and the probe-phase verdicts),
// never the token itself.
package claims

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/discovery"
)

// NoToken is the skip message of every check when no token was given.
const NoToken = "no token given (--token-file, --token, --token-cmd or AWS_WEB_IDENTITY_TOKEN_FILE)"

// object is a decoded JSON object: the token header or claims.
type object map[string]json.RawMessage

// tokenOf returns the token of t, or the skip when there is none.
func tokenOf(t *evidence.Target) (*evidence.Token, *check.Finding) {
	if t.Token == nil {
		f := check.Skip(NoToken)
		return nil, &f
	}
	return t.Token, nil
}

// headerOf returns the decoded header, or a skip pointing at TOK-001.
func headerOf(t *evidence.Target) (object, *check.Finding) {
	tok, skip := tokenOf(t)
	if skip != nil {
		return nil, skip
	}
	h, err := parseObject(tok.Header)
	if err != nil {
		f := check.Skip("the header did not decode (see TOK-001)")
		return nil, &f
	}
	return h, nil
}

// claimsOf returns the decoded claims, or a skip pointing at TOK-001.
func claimsOf(t *evidence.Target) (object, *check.Finding) {
	tok, skip := tokenOf(t)
	if skip != nil {
		return nil, skip
	}
	c, err := parseObject(tok.Claims)
	if err != nil {
		f := check.Skip("the claims did not decode (see TOK-001)")
		return nil, &f
	}
	return c, nil
}

// parseObject parses b as exactly one JSON object.
func parseObject(b []byte) (object, error) {
	if len(b) == 0 {
		return nil, errors.New("absent")
	}
	return discovery.ParseObject(b)
}

// str returns o[name] as a string: present is false when the member is
// absent, ok is false when it is present but not a string.
func (o object) str(name string) (s string, present, ok bool) {
	raw, present := o[name]
	if !present {
		return "", false, false
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return "", true, false
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", true, false
	}
	return s, true, true
}

// clip shortens b for a message.
func clip(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
