// Package eks is the eks-oidc-login relying party: an OIDC identity
// provider associated with an EKS cluster (aws eks
// associate-identity-provider-config), whose ID tokens log users in to the
// cluster's Kubernetes API (kubectl). EKS runs kube-apiserver's OIDC
// authenticator with the provider's settings, so the claim rules are
// kube-apiserver's (harness/kubeuser); checks EKS-001..009.
package eks

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Name is the relying party's name on the command line (--for).
const Name = "eks-oidc-login"

// shared are the shared checks EKS's kube-apiserver enforces too (see
// suites/kubernetes: the same authenticator).
var shared = []string{
	"DISC-001", "DISC-004", "DISC-005", "DISC-006", "TLS-001", "TLS-002", "JWKS-002", "JWKS-003",
	"ROT-001", "ROT-002", "ROT-004", "ROT-005", "TOK-004", "TOK-008", "TOK-009",
}

// Party returns the eks-oidc-login relying party.
func Party() relyingparty.Party {
	return relyingparty.Party{
		Name:     Name,
		Title:    "EKS cluster login with an associated OIDC identity provider (kubectl)",
		Profile:  check.Kubernetes,
		Prefix:   "EKS-",
		Checks:   Checks,
		Reads:    shared,
		Needs:    []string{"TOK-004", "EKS-002", "EKS-003", "EKS-004"},
		Inputs:   inputs,
		Validate: func(in evidence.Input) error { _, err := configOf(in); return err },
		Assumed: func(t *evidence.Target) []string {
			c, _ := configOf(t.Input)
			return c.Assumed
		},
		Login: login,
	}
}

// login is the Kubernetes user and groups the token logs in as.
func login(t *evidence.Target) string {
	c, err := configOf(t.Input)
	if err != nil || t.Token == nil {
		return ""
	}
	claims, err := kubeuser.ParseClaims(t.Token.Claims)
	if err != nil {
		return ""
	}
	m := c.mapping()
	u, err := m.Username(claims)
	if err != nil {
		return ""
	}
	g, _ := m.Groups(claims)
	return kubeuser.Login(u, g)
}
