package rotation

import (
	"encoding/json"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
)

// judgeTokenKID is ROT-005, "a key is published before it signs", judged
// at the time the token was judged: the token's kid must have been in every
// key set observed between its iat and that time. The key set fetched when
// the token was judged is TOK-003's (which this check requires), so what is
// left is a baseline saved after the token was issued. A withdrawal after
// the token was judged is ROT-002's.
func judgeTokenKID(t *evidence.Target) check.Finding {
	tok := t.Token
	if tok == nil {
		return check.Skip("no token was given")
	}
	var header struct {
		Kid *string `json:"kid"`
	}
	if err := json.Unmarshal(tok.Header, &header); err != nil || header.Kid == nil {
		return check.Skip("the token header names no kid to look up (TOK-003 judges the header)")
	}
	kid := *header.Kid
	iat, _, known := validity(tok.Claims)
	b := t.Baseline
	switch {
	case b == nil:
		return check.Skip("no key set observed before the token was judged (give --jwks-baseline)")
	case !known || b.SavedAt.IsZero() || b.SavedAt.Before(iat) || b.SavedAt.After(t.ProbedAt):
		return check.Skip("the baseline was not saved between the token's iat and the time it was judged: nothing to compare")
	}
	old, err := jwks.Parse(b.JWKS)
	if err != nil {
		return check.Skip("%s is not a readable JWK Set: nothing compared", baselineLabel(b))
	}
	if !has(old, kid) {
		return check.Failf("the token was issued %s, but %s did not publish kid %q: the key signed before it was published, "+
			"so verifiers that fetched the key set then could not verify the token",
			iat.UTC().Format(time.RFC3339), baselineLabel(b), kid)
	}
	return check.Pass("kid %q was published in %s, after the token was issued (%s)", kid, baselineLabel(b), iat.UTC().Format(time.RFC3339))
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
