package claims

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// DefaultAudience is the audience expected when none is given under the aws
// and kubernetes profiles: the one EKS projects into IRSA tokens.
const DefaultAudience = "sts.amazonaws.com"

// ExpectedAudience is the audience a token must carry under profile when
// given was asked for: given, else DefaultAudience, except under the oidc
// profile, where only aud's presence is judged without --audience.
func ExpectedAudience(profile check.Profile, given string) string {
	if given != "" || profile == check.OIDC {
		return given
	}
	return DefaultAudience
}

// judgeAudience is TOK-006: STS's aud rules, the expected audience standing
// for the provider's client ID.
func judgeAudience(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	auds, e := c.Audiences()
	if e != nil {
		return check.Failf("%s", e.Reason())
	}
	want := ExpectedAudience(check.Profile(t.Input.Profile), t.Input.Audience)
	if want == "" {
		return check.Pass("aud %q is present (no --audience to compare it with)", auds)
	}
	if _, e := stsrules.MatchAudience(auds, []string{want}); e != nil {
		if stsrules.IsPodIdentityToken(auds) && want != stsrules.PodIdentityAudience {
			return check.Failf("%s: aud is %q, an EKS Pod Identity token, not one for STS (%q): %s", e.Message, auds, want, stsrules.PodIdentityAdvice)
		}
		return check.Failf("%s: aud is %q, which does not contain %q", e.Message, auds, want)
	}
	return check.Pass("aud %q contains %q", auds, want)
}

// judgeAudienceShape is TOK-011: the shapes of aud and azp that make STS's
// condition keys behave differently (not an STS refusal).
func judgeAudienceShape(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	auds, e := c.Audiences()
	if e != nil {
		return check.Skip("no usable aud (see TOK-006)")
	}
	azp, hasAzp := c["azp"]
	switch {
	case hasAzp && c.AuthorizedParty() == "" && string(azp) != `""`:
		return check.Warnf("azp is present but not a string (%s); how STS's :aud condition key treats it is undocumented AWS behaviour", clip(azp, 40))
	case hasAzp && !(len(auds) == 1 && auds[0] == c.AuthorizedParty()):
		return check.Warnf("azp %q is present (aud is %q): STS's <provider>:aud condition key gets azp, not aud, and :oaud gets aud. "+
			"AWS documents this for Google's tokens; for other issuers it is undocumented AWS behaviour, assumed the same here", c.AuthorizedParty(), auds)
	case len(auds) > 1:
		return check.Warnf("aud has %d values %q: which one STS's <provider>:aud condition key gets is undocumented AWS behaviour; "+
			"assume it is multi-valued and write the condition as ForAnyValue:StringEquals", len(auds), auds)
	case hasAzp:
		return check.Pass("azp equals the only aud %q (OpenID Connect Core §2 allows it): STS's <provider>:aud condition key gets %q either way", auds[0], auds[0])
	}
	return check.Pass("one aud and no azp: STS's <provider>:aud condition key gets %q", auds[0])
}
