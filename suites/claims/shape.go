package claims

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// Length limits of STS's WebIdentityToken parameter (the model's).
const (
	MinTokenLength = stsrules.MinTokenLength
	MaxTokenLength = stsrules.MaxTokenLength
)

// judgeShape is TOK-001: STS's length and compact-JWS rules (a JWE is
// named as one, and nothing else judges its header).
func judgeShape(t *evidence.Target) check.Finding {
	tok, skip := Token(t)
	if skip != nil {
		return *skip
	}
	if e := tok.CheckLength(); e != nil {
		return check.Failf("%s", e.Cause)
	}
	if e := tok.CheckShape(); e != nil {
		return check.Failf("not a compact JWS STS accepts: %s", e.Message)
	}
	return check.Pass("compact JWS, 3 parts, %d characters, signature %d characters (sha256 %s...)",
		tok.Length, tok.SignatureLength, t.Token.Signature.SHA256)
}

// judgeAlg is TOK-002: STS's algorithm rule.
func judgeAlg(t *evidence.Target) check.Finding {
	tok, skip := Token(t)
	if skip != nil {
		return *skip
	}
	h, e := tok.ReadHeader()
	if e != nil && e.Rule == stsrules.RuleCompactJWS {
		return check.Skip("the header did not decode (see TOK-001)")
	}
	if e != nil && e.Rule == stsrules.RuleAlgorithm {
		return check.Failf("%s", e.Message)
	}
	if e := stsrules.CheckAlgorithm(h.Alg); e != nil {
		return check.Failf("%s", e.Message)
	}
	return check.Pass("alg %s", h.Alg)
}
