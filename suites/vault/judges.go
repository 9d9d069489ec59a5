package vault

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/vaultauth"
)

// noToken is the skip of the token rules without a token.
const noToken = "no token given"

// judged is what every token rule starts from: the config, the role and
// the token's claims, or the finding that ends the judgement early.
func judged(t *evidence.Target) (*vaultauth.Config, *vaultauth.Role, vaultauth.Claims, *check.Finding) {
	c, r, _, err := setup(t.Input)
	if err != nil {
		f := check.Skip("no Vault set-up: %v", err)
		return nil, nil, nil, &f
	}
	if t.Token == nil {
		f := check.Skip(noToken)
		return c, r, nil, &f
	}
	claims, err := vaultauth.ParseClaims(t.Token.Claims)
	if err != nil || claims == nil {
		f := check.Skip("the claims did not decode (see TOK-001)")
		return c, r, nil, &f
	}
	return c, r, claims, nil
}

// judgeDiscoveryIssuer: the discovery document's issuer equals
// oidc_discovery_url byte for byte, as cap checks it when Vault writes the
// config.
func judgeDiscoveryIssuer(t *evidence.Target) check.Finding {
	c, _, _, err := setup(t.Input)
	if err != nil {
		return check.Skip("no Vault set-up: %v", err)
	}
	if c.OIDCDiscoveryURL == "" {
		return check.Pass("the config sets no oidc_discovery_url: Vault reads no discovery document")
	}
	h := t.Discovery.Final()
	if h == nil {
		return check.Skip("no discovery document (see DISC-001)")
	}
	if want := strings.TrimSuffix(c.OIDCDiscoveryURL, "/") + stsrules.DiscoveryPath; t.Discovery.URL != want {
		return check.Skip("Vault reads discovery at %s; the probe fetched %s", want, t.Discovery.URL)
	}
	var doc struct {
		Issuer string `json:"issuer"`
	}
	if json.Unmarshal(h.Body, &doc) != nil {
		return check.Skip("the discovery document is not JSON (see DISC-004)")
	}
	if doc.Issuer != c.OIDCDiscoveryURL {
		return check.Failf("discovery says issuer %q, oidc_discovery_url is %q: cap answers \"issuer did not match the returned issuer, expected %q got %q\" and Vault \"error checking oidc discovery URL\" (the config is not written; a config written before fails every login)",
			doc.Issuer, c.OIDCDiscoveryURL, c.OIDCDiscoveryURL, doc.Issuer)
	}
	return check.Pass("issuer %q", doc.Issuer)
}

// header decodes the token's alg.
func header(t *evidence.Target) (any, *check.Finding) {
	if t.Token == nil {
		f := check.Skip(noToken)
		return nil, &f
	}
	var h struct {
		Alg any `json:"alg"`
	}
	if json.Unmarshal(t.Token.Header, &h) != nil {
		f := check.Skip("the header did not decode (see TOK-001)")
		return nil, &f
	}
	return h.Alg, nil
}

// judgeAlg: the header's alg is one of the config's jwt_supported_algs.
func judgeAlg(t *evidence.Target) check.Finding {
	c, _, _, err := setup(t.Input)
	if err != nil {
		return check.Skip("no Vault set-up: %v", err)
	}
	raw, skip := header(t)
	if skip != nil {
		return *skip
	}
	alg, _ := raw.(string)
	if !slices.Contains(c.Algorithms(), alg) {
		return check.Failf("alg %v is not in jwt_supported_algs %q: Vault answers \"error validating token: invalid algorithm (alg) header parameter: token signed with unexpected algorithm\" (or, for an algorithm cap does not know, \"error verifying token signature\")", raw, c.Algorithms())
	}
	return check.Pass("alg %s", alg)
}

// judgeIssuer: iss equals bound_issuer when the config sets one.
func judgeIssuer(t *evidence.Target) check.Finding {
	c, _, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if c.BoundIssuer == "" {
		return check.Pass("the config sets no bound_issuer: Vault does not check iss")
	}
	if iss, _ := claims["iss"].(string); iss != c.BoundIssuer {
		return check.Failf("iss %q is not bound_issuer %q: Vault answers \"error validating token: invalid issuer (iss) claim\"", claims["iss"], c.BoundIssuer)
	}
	return check.Pass("iss %q", c.BoundIssuer)
}

// audiences is aud as go-jose decodes it: a string or a list of strings.
func audiences(claims vaultauth.Claims) ([]string, bool) {
	switch v := claims["aud"].(type) {
	case nil:
		return nil, true
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, 0, len(v))
		for _, a := range v {
			s, ok := a.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// judgeAudience: aud holds one of bound_audiences (any of them).
func judgeAudience(t *evidence.Target) check.Finding {
	_, r, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if len(r.BoundAudiences) == 0 {
		return check.Pass("the role binds no audience (VLT-005 judges an aud it does not bind)")
	}
	aud, ok := audiences(claims)
	if !ok {
		return check.Failf("aud %v is neither a string nor a list of strings: go-jose does not decode it and Vault refuses the token", claims["aud"])
	}
	for _, a := range r.BoundAudiences {
		if slices.Contains(aud, a) {
			return check.Pass("aud holds %q", a)
		}
	}
	return check.Failf("aud %q holds none of bound_audiences %q: Vault answers \"error validating token: invalid audience (aud) claim: audience claim does not match any expected audience\"", aud, r.BoundAudiences)
}

// judgeUnboundAudience: with no bound_audiences, the token has no aud.
func judgeUnboundAudience(t *evidence.Target) check.Finding {
	_, r, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if err := r.UnboundAudience(claims); err != nil {
		return check.Failf("the token has aud %v and the role binds no audience: Vault answers %q", claims["aud"], err.Error())
	}
	return check.Pass("the role binds an audience, or the token has none")
}

// judgeSubject: sub equals bound_subject when the role sets one.
func judgeSubject(t *evidence.Target) check.Finding {
	_, r, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if r.BoundSubject == "" {
		return check.Pass("the role sets no bound_subject")
	}
	if sub, _ := claims["sub"].(string); sub != r.BoundSubject {
		return check.Failf("sub %q is not bound_subject %q: Vault answers \"error validating token: invalid subject (sub) claim\"", claims["sub"], r.BoundSubject)
	}
	return check.Pass("sub %q", r.BoundSubject)
}

// judgeHasTimes: the token has at least one of iat, nbf and exp.
func judgeHasTimes(t *evidence.Target) check.Finding {
	_, r, _, skip := judged(t)
	if skip != nil {
		return *skip
	}
	err := r.Leeways().Times(t.Token.Claims, t.ProbedAt)
	if errors.Is(err, vaultauth.ErrNoTimes) {
		return check.Failf("the token has no iat, nbf or exp: Vault answers \"error validating token: %v\"", err)
	}
	return check.Pass("the token has a time claim")
}

// judgeTimes: nbf, exp and iat hold at the probe time, as cap judges them.
func judgeTimes(t *evidence.Target) check.Finding {
	_, r, _, skip := judged(t)
	if skip != nil {
		return *skip
	}
	l := r.Leeways()
	if err := l.Times(t.Token.Claims, t.ProbedAt); err != nil {
		return check.Failf("Vault answers \"error validating token: %v\" (clock skew %s)", err, l.Skew())
	}
	return check.Pass("valid at the probe time (clock skew %s)", l.Skew())
}

// judgeUser: the user_claim is present and a string.
func judgeUser(t *evidence.Target) check.Finding {
	_, r, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	u, err := r.User(claims)
	if err != nil {
		return check.Failf("Vault answers %q", err.Error())
	}
	return check.Pass("entity alias %q", u)
}

// judgeIdentity: the groups claim and the claim_mappings are of the types
// the plugin needs.
func judgeIdentity(t *evidence.Target) check.Finding {
	_, r, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if _, err := r.Metadata(claims); err != nil {
		return check.Failf("Vault answers %q", err.Error())
	}
	g, err := r.Groups(claims)
	if err != nil {
		return check.Failf("Vault answers %q", err.Error())
	}
	if r.GroupsClaim == "" {
		return check.Pass("no groups_claim; %d claim mappings", len(r.ClaimMappings))
	}
	return check.Pass("groups %q", g)
}

// judgeBoundClaims: every bound claim holds.
func judgeBoundClaims(t *evidence.Target) check.Finding {
	_, r, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	if len(r.BoundClaims) == 0 {
		return check.Pass("the role sets no bound_claims")
	}
	if err := r.MatchBoundClaims(claims); err != nil {
		return check.Failf("Vault answers \"error validating claims: %v\" (bound_claims_type %s)", err, r.BoundClaimsType)
	}
	return check.Pass("%d bound claims hold (%s)", len(r.BoundClaims), r.BoundClaimsType)
}

// judgeValidator reports cap's in-process answer; its prerequisites are
// every other VLT- rule, so it fails alone only for what cap alone judges:
// the key set and the signature.
func judgeValidator(t *evidence.Target) check.Finding { return vaultauth.Judge(t, Name) }
