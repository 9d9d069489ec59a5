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

// judgeShape is TOK-001: the compact-JWS rules (a JWE is named as one, and
// nothing else judges its header), every relying party's. A token the
// harness only measured (too long to decode) is not judged: its length is
// TOK-013's, STS's.
func judgeShape(t *evidence.Target) check.Finding {
	tok, skip := Token(t)
	if skip != nil {
		return *skip
	}
	if tok.Undecoded {
		return check.Skip("the token was not decoded: %d characters, over the %d bytes the harness decodes; its shape is not known",
			tok.Length, stsrules.MaxDecodedBytes)
	}
	if e := tok.CheckShape(); e != nil {
		return check.Failf("not a compact JWS: %s", e.Message)
	}
	return check.Pass("compact JWS, 3 parts, %d characters, signature %d characters (sha256 %s...)",
		tok.Length, tok.SignatureLength, t.Token.Signature.SHA256)
}

// judgeLength is TOK-013: STS's WebIdentityToken length, 4..20000
// characters (stsrules.CheckLength), measured whether or not the token was
// decoded.
func judgeLength(t *evidence.Target) check.Finding {
	tok, skip := Token(t)
	if skip != nil {
		return *skip
	}
	if e := tok.CheckLength(); e != nil {
		return check.Failf("%s", e.Cause)
	}
	return check.Pass("%d characters, within STS's %d..%d", tok.Length, MinTokenLength, MaxTokenLength)
}

// rootOfShape is TOK-001's RootOf: a JWE's header alg is a key-management
// algorithm, so TOK-012 (every relying party's rule, which does not
// require TOK-001) fails on it too; that failure is the JWE's root, and
// TOK-001 is reported skipped, blocked by it, so the defect is reported
// once for every party, STS included.
func rootOfShape(t *evidence.Target) []string {
	if t.Token != nil && t.Token.Parts == stsrules.JWEParts {
		return []string{"TOK-012"}
	}
	return nil
}

// judgeSigningAlg is TOK-012: every relying party's algorithm rule
// (stsrules.CheckSigningAlgorithm): a signature algorithm verifiable with a
// published key, never none, never an HMAC.
func judgeSigningAlg(t *evidence.Target) check.Finding {
	return withAlg(t, stsrules.CheckSigningAlgorithm)
}

// judgeAlg is TOK-002: STS's list of algorithms (stsrules.CheckAlgorithm),
// after TOK-012's rule, which it requires.
func judgeAlg(t *evidence.Target) check.Finding {
	return withAlg(t, stsrules.CheckAlgorithm)
}

// withAlg applies rule to the token header's alg; a header without a
// string alg is TOK-012's.
func withAlg(t *evidence.Target, rule func(string) *stsrules.Error) check.Finding {
	tok, skip := decoded(t)
	if skip != nil {
		return *skip
	}
	h, e := tok.ReadHeader()
	if e != nil && e.Rule == stsrules.RuleCompactJWS {
		return check.Skip("the header did not decode (see TOK-001)")
	}
	if e != nil && e.Rule == stsrules.RuleSigningAlgorithm {
		return check.Failf("%s", e.Message)
	}
	if e := rule(h.Alg); e != nil {
		return check.Failf("%s", e.Message)
	}
	return check.Pass("alg %s", h.Alg)
}
