package claims

import (
	"slices"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// LengthCheck is the check of STS's length limit (stsrules.RuleTokenLength).
const LengthCheck = "TOK-013"

// NotDecoded is the finding of a check that needs the decoded token when
// the harness only measured it (evidence.Token.Undecoded: over
// stsrules.MaxDecodedBytes, and so over STS's 20000 characters): where the
// run judges the aws profile, TOK-013 fails on that length and is the root
// (Blocked); for the other parties the check is not judged, since nothing
// of the token but its length is known. It is nil when the token was
// decoded, or when there is none.
func NotDecoded(t *evidence.Target) *check.Finding {
	if t.Token == nil || !t.Token.Undecoded {
		return nil
	}
	var f check.Finding
	if judgesAWS(t.Input) && t.Token.Length > stsrules.MaxTokenLength {
		f = check.Blocked(LengthCheck)
	} else {
		f = check.Skip("the token was not decoded: %d characters, over the %d bytes the harness decodes; only its length is known",
			t.Token.Length, stsrules.MaxDecodedBytes)
	}
	return &f
}

// judgesAWS reports whether the run judges the aws profile's checks (the
// target's profile or a relying party's), TOK-013 among them.
func judgesAWS(in evidence.Input) bool {
	return check.Profile(in.Profile) == check.AWS || slices.Contains(in.Profiles, string(check.AWS))
}

// decoded is Token for a check that reads the token's header or claims:
// also NotDecoded's finding.
func decoded(t *evidence.Target) (*stsrules.Token, *check.Finding) {
	if f := NotDecoded(t); f != nil {
		return nil, f
	}
	return Token(t)
}
