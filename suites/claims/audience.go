package claims

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/webidentity"
)

// DefaultAudience is the audience expected when none is given: the one EKS
// projects into IRSA tokens.
const DefaultAudience = "sts.amazonaws.com"

// audiences returns aud as a list (RFC 7519 §4.1.3: a string or an array of
// strings); present is false when there is no aud claim.
func audiences(c object) (auds []string, present bool, err error) {
	raw, present := c["aud"]
	if !present {
		return nil, false, nil
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, true, fmt.Errorf("aud is null")
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true, nil
	}
	if json.Unmarshal(raw, &auds) != nil || auds == nil {
		return nil, true, fmt.Errorf("aud is neither a string nor an array of strings: %s", clip(raw, 80))
	}
	return auds, true, nil
}

func judgeAudience(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	want := t.Input.Audience
	if want == "" {
		want = DefaultAudience
	}
	auds, present, err := audiences(c)
	switch {
	case !present:
		return check.Failf("Missing a required claim: aud (want %q)", want)
	case err != nil:
		return check.Failf("Incorrect token audience: %v", err)
	}
	for _, a := range auds {
		if a == want {
			return check.Pass("aud %q contains %q", auds, want)
		}
	}
	if webidentity.IsPodIdentityToken(auds) && want != webidentity.PodIdentityAudience {
		return check.Failf("Incorrect token audience: aud is %q, an EKS Pod Identity token, not one for STS (%q): %s", auds, want, webidentity.PodIdentityAdvice)
	}
	return check.Failf("Incorrect token audience: aud is %q, which does not contain %q", auds, want)
}

func judgeAudienceShape(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	auds, present, err := audiences(c)
	if !present || err != nil {
		return check.Skip("no usable aud (see TOK-006)")
	}
	azp, hasAzp, ok := c.str("azp")
	switch {
	case hasAzp && !ok:
		return check.Warnf("azp is present but not a string (%s); how STS's :aud condition key treats it is undocumented AWS behaviour", clip(c["azp"], 40))
	case hasAzp:
		return check.Warnf("azp %q is present (aud is %q): STS's <provider>:aud condition key gets azp, not aud, and :oaud gets aud. "+
			"AWS documents this for Google's tokens; for other issuers it is undocumented AWS behaviour, assumed the same here", azp, auds)
	case len(auds) > 1:
		return check.Warnf("aud has %d values %q: which one STS's <provider>:aud condition key gets is undocumented AWS behaviour; "+
			"assume it is multi-valued and write the condition as ForAnyValue:StringEquals", len(auds), auds)
	case len(auds) == 0:
		return check.Skip("aud is an empty list (see TOK-006)")
	}
	return check.Pass("one aud and no azp: STS's <provider>:aud condition key gets %q", auds[0])
}
