// Package claims judges the web identity token against what STS and RFC 7519
// require: checks TOK-001 to TOK-013. Every rule STS applies is the STS
// model's (harness/stsrules), called on the token as the evidence recorded
// it (the decoded header and claims, the redacted signature and the
// probe-phase signature verdicts), never the token itself; this package adds
// only what is not STS's (the Kubernetes subject shape, the lifetime, the
// condition-key warnings). Prerequisites are the catalog's Requires.
package claims

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// NoToken is the skip message of every check when no token was given.
const NoToken = "no token given (--token-file, --token, --token-cmd or AWS_WEB_IDENTITY_TOKEN_FILE)"

// Token returns the STS model's view of the target's token, or the skip
// when there is none. Other suites judging the token (ROT-005) use it, with
// TOK-001 as their prerequisite.
func Token(t *evidence.Target) (*stsrules.Token, *check.Finding) {
	if t.Token == nil {
		f := check.Skip(NoToken)
		return nil, &f
	}
	return stsrules.FromEvidence(t.Token), nil
}

// claimsOf returns the decoded claims, or the skip when there is no token.
// A token whose claims did not decode fails TOK-001, which every claim
// check requires; the skip below is for evidence judged without it.
func claimsOf(t *evidence.Target) (stsrules.Claims, *check.Finding) {
	tok, skip := decoded(t)
	if skip != nil {
		return nil, skip
	}
	c := stsrules.ClaimsOf(tok)
	if c == nil {
		f := check.Skip("the claims did not decode (see TOK-001)")
		return nil, &f
	}
	return c, nil
}

// clip shortens b for a message.
func clip(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
