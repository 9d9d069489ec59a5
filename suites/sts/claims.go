package sts

import (
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
)

// tokenClaims returns the token's sub and aud values (and amr, azp).
func tokenClaims(t *evidence.Target) (map[string][]string, bool) {
	return token.ConditionValues(t.Token)
}
