package kubeauth

import (
	"sort"

	api "k8s.io/apiserver/pkg/apis/apiserver"

	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
)

// JWT is one jwt[] entry of an AuthenticationConfiguration.
type JWT struct {
	a api.JWTAuthenticator
}

// Synthesize is the entry a file-less run assumes: issuer.url url, the one
// audience aud, and the username from sub with no prefix. It has no claim
// rules, so only the rules that need no file are judged with it.
func Synthesize(url, aud string) *JWT {
	empty := ""
	return &JWT{a: api.JWTAuthenticator{
		Issuer:        api.Issuer{URL: url, Audiences: []string{aud}},
		ClaimMappings: api.ClaimMappings{Username: api.PrefixedClaimOrExpression{Claim: "sub", Prefix: &empty}},
	}}
}

// URL is issuer.url.
func (j *JWT) URL() string { return j.a.Issuer.URL }

// DiscoveryURL is issuer.discoveryURL ("" when discovery is at url).
func (j *JWT) DiscoveryURL() string { return j.a.Issuer.DiscoveryURL }

// Audiences is issuer.audiences.
func (j *JWT) Audiences() []string { return j.a.Issuer.Audiences }

// CertificateAuthority is issuer.certificateAuthority (PEM), "" for the host's roots.
func (j *JWT) CertificateAuthority() string { return j.a.Issuer.CertificateAuthority }

// UsernameClaim is claimMappings.username.claim ("" when an expression maps it).
func (j *JWT) UsernameClaim() string { return j.a.ClaimMappings.Username.Claim }

// UsernamePrefix is claimMappings.username.prefix (nil when unset).
func (j *JWT) UsernamePrefix() *string { return j.a.ClaimMappings.Username.Prefix }

// GroupsClaim is claimMappings.groups.claim ("" when unset or an expression).
func (j *JWT) GroupsClaim() string { return j.a.ClaimMappings.Groups.Claim }

// RequiredClaims are the claim/requiredValue claimValidationRules.
func (j *JWT) RequiredClaims() map[string]string {
	out := map[string]string{}
	for _, r := range j.a.ClaimValidationRules {
		if r.Claim != "" {
			out[r.Claim] = r.RequiredValue
		}
	}
	return out
}

// Expressions counts the entry's CEL expressions: claim validation rules,
// claim mappings and user validation rules.
func (j *JWT) Expressions() int {
	n := len(j.a.UserValidationRules) + len(j.a.ClaimMappings.Extra)
	for _, r := range j.a.ClaimValidationRules {
		if r.Expression != "" {
			n++
		}
	}
	m := j.a.ClaimMappings
	for _, e := range []string{m.Username.Expression, m.Groups.Expression, m.UID.Expression} {
		if e != "" {
			n++
		}
	}
	return n
}

// Mapping is the entry's claim-to-user mapping, for the rules that need no
// CEL (claim mappings by claim, claim/requiredValue rules); ok is false when
// the username is mapped by a CEL expression.
func (j *JWT) Mapping() (m kubeuser.Mapping, ok bool) {
	cm := j.a.ClaimMappings
	return kubeuser.Mapping{
		UsernameClaim: cm.Username.Claim, UsernamePrefix: cm.Username.Prefix,
		GroupsClaim: cm.Groups.Claim, GroupsPrefix: cm.Groups.Prefix,
		Required: j.RequiredClaims(),
	}, cm.Username.Claim != ""
}

// Legacy is the entry kube-apiserver builds from its --oidc-* flags, as EKS
// sets them from an identity provider association: the username claim with
// issuerURL + "#" prefixed unless a prefix is given ("-": none) or the claim
// is email, the groups claim and prefix, and the required claims.
func Legacy(issuerURL, clientID, usernameClaim string, usernamePrefix *string, groupsClaim string, groupsPrefix *string, required map[string]string) *JWT {
	prefix := ""
	switch {
	case usernamePrefix != nil && *usernamePrefix == "-":
	case usernamePrefix != nil && *usernamePrefix != "":
		prefix = *usernamePrefix
	case usernameClaim != "email":
		prefix = issuerURL + "#"
	}
	a := api.JWTAuthenticator{
		Issuer:        api.Issuer{URL: issuerURL, Audiences: []string{clientID}},
		ClaimMappings: api.ClaimMappings{Username: api.PrefixedClaimOrExpression{Claim: usernameClaim, Prefix: &prefix}},
	}
	if groupsClaim != "" {
		gp := ""
		if groupsPrefix != nil {
			gp = *groupsPrefix
		}
		a.ClaimMappings.Groups = api.PrefixedClaimOrExpression{Claim: groupsClaim, Prefix: &gp}
	}
	for _, k := range sortedKeys(required) {
		a.ClaimValidationRules = append(a.ClaimValidationRules, api.ClaimValidationRule{Claim: k, RequiredValue: required[k]})
	}
	return &JWT{a: a}
}

// sortedKeys are m's keys in order.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
