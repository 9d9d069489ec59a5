package rotation

import (
	"encoding/json"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
)

// judgeTokenKID checks that the token's kid is published now and, when
// there were polls, in every poll made while the token was valid.
func judgeTokenKID(t *evidence.Target) check.Finding {
	tok := t.Token
	switch {
	case tok == nil:
		return check.Skip("no token was given")
	case tok.Header == nil:
		return check.Skip("the token header did not decode (see TOK-001)")
	}
	var header map[string]json.RawMessage
	if err := json.Unmarshal(tok.Header, &header); err != nil {
		return check.Skip("the token header is not a JSON object (see TOK-001)")
	}
	raw, ok := header["kid"]
	if !ok {
		return check.Failf("the token header has no kid: STS picks the verification key by kid")
	}
	var kid string
	if err := json.Unmarshal(raw, &kid); err != nil {
		return check.Failf("the token header's kid is not a string: %s", raw)
	}
	set, err := jwks.FromExchange(t.JWKS)
	if t.JWKS == nil || err != nil {
		return check.Skip("no key set to look the kid up in (see JWKS-001 and JWKS-002)")
	}
	if !has(set, kid) {
		return check.Failf("kid %q is not in the key set (%d keys): publish a key before it signs", kid, set.Total)
	}
	iat, exp, known := validity(tok.Claims)
	if !known {
		return check.Pass("kid %q is published", kid)
	}
	polled := 0
	for _, p := range t.Polls {
		s, err := jwks.FromExchange(p.JWKS)
		if err != nil || p.At.Before(iat) || p.At.After(exp) {
			continue
		}
		polled++
		if !has(s, kid) {
			return check.Failf("kid %q was not published at %s, while the token (issued %s, expiring %s) was valid",
				kid, p.At.UTC().Format(time.RFC3339), iat.UTC().Format(time.RFC3339), exp.UTC().Format(time.RFC3339))
		}
	}
	if polled > 0 {
		return check.Pass("kid %q is published, and was in all %d polls made while the token was valid", kid, polled)
	}
	return check.Pass("kid %q is published", kid)
}

// has reports whether a key of s (any of them, inspected or not) has
// exactly this kid.
func has(s *jwks.Set, kid string) bool { return s.HasKID(kid) }

// validity reads iat and exp from the claims, when both are JSON numbers.
func validity(claims json.RawMessage) (iat, exp time.Time, ok bool) {
	var c struct {
		IAT *float64 `json:"iat"`
		EXP *float64 `json:"exp"`
	}
	if err := json.Unmarshal(claims, &c); err != nil || c.IAT == nil || c.EXP == nil ||
		*c.IAT < 0 || *c.EXP < *c.IAT || *c.EXP > 1e11 {
		return time.Time{}, time.Time{}, false
	}
	return time.Unix(int64(*c.IAT), 0), time.Unix(int64(*c.EXP), 0), true
}
