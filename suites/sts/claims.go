package sts

import (
	"encoding/json"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// tokenClaims returns the token's sub and aud values.
func tokenClaims(t *evidence.Target) (map[string][]string, bool) {
	if t.Token == nil || len(t.Token.Claims) == 0 {
		return nil, false
	}
	var c struct {
		Sub string          `json:"sub"`
		Aud json.RawMessage `json:"aud"`
	}
	if err := json.Unmarshal(t.Token.Claims, &c); err != nil {
		return nil, false
	}
	out := map[string][]string{"sub": {c.Sub}}
	var one string
	var many []string
	switch {
	case json.Unmarshal(c.Aud, &one) == nil:
		out["aud"] = []string{one}
	case json.Unmarshal(c.Aud, &many) == nil:
		out["aud"] = many
	}
	return out, true
}
