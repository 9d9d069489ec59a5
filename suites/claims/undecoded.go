package claims

import (
	"fmt"
	"slices"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// LengthCheck is the check of STS's length limit (stsrules.RuleTokenLength).
const LengthCheck = "TOK-013"

// NotDecoded is the finding of a check that needs the decoded token when
// the harness only measured it (evidence.Token.Undecoded: over
// stsrules.MaxDecodedBytes, and so over STS's 20000 characters). In a run
// for AWS STS alone, TOK-013 fails on that length and is the root
// (Blocked): STS reads nothing past it. Otherwise the check is not judged
// (Skip, NotDecodedMessage): the other relying parties have no such limit,
// and nothing of the token but its length is known. It is nil when the
// token was decoded, or when there is none.
func NotDecoded(t *evidence.Target) *check.Finding {
	if t.Token == nil || !t.Token.Undecoded {
		return nil
	}
	f := check.Skip("%s", NotDecodedMessage(t.Token))
	if onlyAWS(t.Input) && t.Token.Length > stsrules.MaxTokenLength {
		f = check.Blocked(LengthCheck)
	}
	return &f
}

// NotDecodedMessage says why a check that needs the decoded token tok was
// not judged.
func NotDecodedMessage(tok *evidence.Token) string {
	return fmt.Sprintf("the token was not decoded: %d characters, over the %d bytes the harness decodes; only its length is known",
		tok.Length, stsrules.MaxDecodedBytes)
}

// onlyAWS reports whether the run judges the aws profile alone (no other
// relying party's profile asked for).
func onlyAWS(in evidence.Input) bool {
	return check.Profile(in.Profile) == check.AWS && !slices.ContainsFunc(in.Profiles, func(p string) bool { return check.Profile(p) != check.AWS })
}

// decoded is Token for a check that reads the token's header or claims:
// also NotDecoded's finding.
func decoded(t *evidence.Target) (*stsrules.Token, *check.Finding) {
	if f := NotDecoded(t); f != nil {
		return nil, f
	}
	return Token(t)
}
