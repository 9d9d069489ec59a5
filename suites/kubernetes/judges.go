package kubernetes

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
)

// noToken is the skip of the token rules without a token.
const noToken = "no token given"

// judged is what every token rule starts from: the jwt[] entry and the
// token's claims, or the finding that ends the judgement early.
func judged(t *evidence.Target) (*kubeauth.JWT, kubeuser.Claims, *check.Finding) {
	j, _, err := entry(t.Input)
	if err != nil {
		f := check.Skip("no jwt[] entry: %v", err)
		return nil, nil, &f
	}
	if t.Token == nil {
		f := check.Skip(noToken)
		return j, nil, &f
	}
	c, err := kubeuser.ParseClaims(t.Token.Claims)
	if err != nil {
		f := check.Skip("the claims did not decode (see TOK-001)")
		return j, nil, &f
	}
	return j, c, nil
}

// judgeDiscoveryIssuer: the discovery document's issuer equals issuer.url,
// byte for byte.
func judgeDiscoveryIssuer(t *evidence.Target) check.Finding {
	j, _, err := entry(t.Input)
	if err != nil {
		return check.Skip("no jwt[] entry: %v", err)
	}
	if j.DiscoveryURL() != "" {
		return check.Skip("issuer.discoveryURL %s is set: the probe fetched discovery at the issuer, not there", j.DiscoveryURL())
	}
	h := t.Discovery.Final()
	if h == nil {
		return check.Skip("no discovery document (see DISC-001)")
	}
	var doc struct {
		Issuer string `json:"issuer"`
	}
	if json.Unmarshal(h.Body, &doc) != nil {
		return check.Skip("the discovery document is not JSON (see DISC-004)")
	}
	if doc.Issuer != j.URL() {
		return check.Failf("discovery says issuer %q, issuer.url is %q: kube-apiserver reports \"oidc: issuer did not match the issuer returned by provider\" and authenticates no token", doc.Issuer, j.URL())
	}
	return check.Pass("issuer %q", doc.Issuer)
}

// judgeAlg: the header's alg is one kube-apiserver accepts.
func judgeAlg(t *evidence.Target) check.Finding {
	if t.Token == nil {
		return check.Skip(noToken)
	}
	var h struct {
		Alg any `json:"alg"`
	}
	if json.Unmarshal(t.Token.Header, &h) != nil {
		return check.Skip("the header did not decode (see TOK-001)")
	}
	alg, _ := h.Alg.(string)
	if !slices.Contains(kubeuser.Algorithms, alg) {
		return check.Failf("alg %v: kube-apiserver accepts only %s", h.Alg, strings.Join(kubeuser.Algorithms, ", "))
	}
	return check.Pass("alg %s", alg)
}

// nbfLeeway is go-oidc v2's allowance for a not-before in the future.
const nbfLeeway = 5 * 60

// judgeTimes: exp present and not passed at the probe time, nbf at most
// five minutes ahead (go-oidc v2's rules, which kube-apiserver uses).
func judgeTimes(t *evidence.Target) check.Finding {
	_, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	now := float64(t.ProbedAt.Unix())
	var exp, nbf float64
	if !c.Has("exp") {
		return check.Failf("the token has no exp: kube-apiserver treats it as expired")
	}
	if json.Unmarshal(c["exp"], &exp) != nil {
		return check.Failf("exp is not a number: %s", c["exp"])
	}
	if now > exp {
		return check.Failf("the token expired %.0f s before the probe (exp %.0f): kube-apiserver allows no leeway", now-exp, exp)
	}
	if c.Has("nbf") && json.Unmarshal(c["nbf"], &nbf) == nil && nbf > now+nbfLeeway {
		return check.Failf("nbf %.0f is %.0f s ahead of the probe: over the 5 minutes kube-apiserver allows", nbf, nbf-now)
	}
	return check.Pass("exp in %.0f s", exp-now)
}

// judgeIssuer: iss equals issuer.url exactly.
func judgeIssuer(t *evidence.Target) check.Finding {
	j, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	iss, ok := c.String("iss")
	if !ok || iss != j.URL() {
		return check.Failf("iss %q is not issuer.url %q: the API server gives the token to no authenticator of this entry", iss, j.URL())
	}
	return check.Pass("iss %q", iss)
}

// judgeAudience: aud holds one of issuer.audiences.
func judgeAudience(t *evidence.Target) check.Finding {
	j, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if err := kubeuser.Audiences(c, j.Audiences()); err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("aud holds one of %q", j.Audiences())
}

// judgeUsername: the username claim is present and a string.
func judgeUsername(t *evidence.Target) check.Finding {
	j, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	m, ok := j.Mapping()
	if !ok {
		return check.Skip("the username is mapped by a CEL expression: K8S-010 reports the authenticator's answer")
	}
	u, err := m.Username(c)
	if err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("username %q", u)
}

// judgeEmailVerified: an email username needs email_verified true.
func judgeEmailVerified(t *evidence.Target) check.Finding {
	j, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	m, ok := j.Mapping()
	if !ok || m.UsernameClaim != "email" {
		return check.Pass("the username claim is not email")
	}
	if err := m.EmailVerified(c); err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("the email is verified (or email_verified is absent)")
}

// judgeGroups: the groups claim is a string or an array of strings.
func judgeGroups(t *evidence.Target) check.Finding {
	j, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	m, _ := j.Mapping()
	if m.GroupsClaim == "" {
		return check.Pass("no groups claim is mapped by claim")
	}
	g, err := m.Groups(c)
	if err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("groups %q", g)
}

// judgeRequired: every claim/requiredValue rule holds.
func judgeRequired(t *evidence.Target) check.Finding {
	j, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	m, _ := j.Mapping()
	if len(m.Required) == 0 {
		return check.Pass("no claim/requiredValue rule")
	}
	if err := m.RequiredClaims(c); err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("%d required claims hold", len(m.Required))
}

// judgeAuthenticator reports the in-process authenticator's answer; its
// prerequisites are every other K8S- rule, so it fails alone only for what
// it alone judges: the key set, the signature and the CEL rules.
func judgeAuthenticator(t *evidence.Target) check.Finding { return kubeauth.Judge(t, Name) }
