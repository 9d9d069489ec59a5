package eks

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
)

// judged is what every token rule starts from: the configuration and the
// token's claims, or the finding that ends the judgement early.
func judged(t *evidence.Target) (Config, kubeuser.Claims, *check.Finding) {
	c, err := configOf(t.Input)
	if err != nil {
		f := check.Skip("no identity provider configuration: %v", err)
		return c, nil, &f
	}
	if t.Token == nil {
		f := check.Skip("no token given")
		return c, nil, &f
	}
	claims, err := kubeuser.ParseClaims(t.Token.Claims)
	if err != nil {
		f := check.Skip("the claims did not decode (see TOK-001)")
		return c, nil, &f
	}
	return c, claims, nil
}

func judgeIssuerURL(t *evidence.Target) check.Finding {
	c, err := configOf(t.Input)
	if err != nil {
		return check.Skip("no identity provider configuration: %v", err)
	}
	if c.IssuerURL == "" {
		return check.Skip("no issuerUrl: not given, and no issuer to assume it from")
	}
	u, perr := url.Parse(c.IssuerURL)
	switch {
	case perr != nil:
		return check.Failf("issuerUrl %q does not parse: %v", c.IssuerURL, perr)
	case u.Scheme != "https" || u.Host == "":
		return check.Failf("issuerUrl %q does not begin with https://", c.IssuerURL)
	case u.RawQuery != "" || u.ForceQuery:
		return check.Failf("issuerUrl %q has a query: EKS accepts a path but no query", c.IssuerURL)
	}
	return check.Pass("issuerUrl %q", c.IssuerURL)
}

func judgeIssuer(t *evidence.Target) check.Finding {
	c, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	iss, ok := claims.String("iss")
	if !ok || iss != c.IssuerURL {
		return check.Failf("iss %q is not the issuerUrl %q", iss, c.IssuerURL)
	}
	return check.Pass("iss %q", iss)
}

func judgeAudience(t *evidence.Target) check.Finding {
	c, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if err := kubeuser.Audiences(claims, []string{c.ClientID}); err != nil {
		return check.Failf("%v (clientId %q)", err, c.ClientID)
	}
	return check.Pass("aud holds the clientId %q", c.ClientID)
}

func judgeUsername(t *evidence.Target) check.Finding {
	c, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	u, err := c.mapping().Username(claims)
	if err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("Kubernetes username %q", u)
}

func judgeEmailVerified(t *evidence.Target) check.Finding {
	c, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if c.UsernameClaim != "email" {
		return check.Pass("usernameClaim is %s, not email", c.UsernameClaim)
	}
	if err := c.mapping().EmailVerified(claims); err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("the email is verified (or email_verified is absent)")
}

func judgeGroups(t *evidence.Target) check.Finding {
	c, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if c.GroupsClaim == "" {
		return check.Pass("no groupsClaim is configured")
	}
	g, err := c.mapping().Groups(claims)
	if err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("Kubernetes groups %q", g)
}

func judgeRequired(t *evidence.Target) check.Finding {
	c, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if len(c.RequiredClaims) == 0 {
		return check.Pass("no requiredClaims")
	}
	if err := c.mapping().RequiredClaims(claims); err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("%d required claims hold", len(c.RequiredClaims))
}

func judgeAlg(t *evidence.Target) check.Finding {
	if t.Token == nil {
		return check.Skip("no token given")
	}
	var h struct {
		Alg any `json:"alg"`
	}
	if json.Unmarshal(t.Token.Header, &h) != nil {
		return check.Skip("the header did not decode (see TOK-001)")
	}
	if h.Alg != "RS256" {
		return check.Warnf("alg %v: EKS does not publish the algorithms it accepts for identity providers, and kube-apiserver's default for the --oidc-* flags is RS256 (unconfirmed)", h.Alg)
	}
	return check.Pass("alg RS256")
}

func judgePrefixes(t *evidence.Target) check.Finding {
	c, err := configOf(t.Input)
	if err != nil {
		return check.Skip("no identity provider configuration: %v", err)
	}
	for _, f := range []struct {
		name string
		p    *string
	}{{"usernamePrefix", c.UsernamePrefix}, {"groupsPrefix", c.GroupsPrefix}} {
		name, p := f.name, f.p
		if p != nil && strings.HasPrefix(*p, "system:") {
			return check.Warnf("%s %q starts with system:, reserved by Kubernetes; EKS is reported to refuse it (unconfirmed)", name, *p)
		}
	}
	return check.Pass("no prefix starts with system:")
}
