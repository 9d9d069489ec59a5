// Package eks is the eks-oidc-login relying party: an OIDC identity
// provider associated with an EKS cluster (aws eks
// associate-identity-provider-config), whose ID tokens log users in to the
// cluster's Kubernetes API (kubectl). EKS runs kube-apiserver's OIDC
// authenticator with the provider's settings, so the claim rules are
// kube-apiserver's (harness/kubeuser), and that authenticator runs in-process
// configured as EKS configures it (EKS-010); checks EKS-001..010.
package eks

import (
	"context"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Name is the relying party's name on the command line (--for).
const Name = "eks-oidc-login"

// shared are the shared checks that hold for EKS too; the key set, the
// signature and the token's times are the answer of kube-apiserver's
// authenticator configured as EKS configures it (EKS-010), as in
// suites/kubernetes. TOK-012 (a signature algorithm, not none, not HS*)
// holds for every relying party: the authenticator verifies with the key
// set's public keys; EKS-008 judges EKS's own list beyond it.
var shared = []string{"DISC-001", "DISC-004", "DISC-005", "TLS-001", "TLS-002", "TLS-006", "TOK-012", "ROT-002", "ROT-004"}

// Party returns the eks-oidc-login relying party.
func Party() relyingparty.Party {
	return relyingparty.Party{
		Name:    Name,
		Title:   "EKS cluster login with an associated OIDC identity provider (kubectl)",
		Profile: check.OIDC,
		Prefix:  "EKS-",
		Checks:  Checks,
		Reads:   shared,
		// EKS publishes neither the algorithms it accepts nor whether it
		// refuses a system: prefix: a warning leaves the verdict unknown.
		Doubts:   []string{"EKS-008", "EKS-009"},
		Needs:    []string{"EKS-002", "EKS-003", "EKS-004", "EKS-010"},
		Inputs:   inputs,
		Validate: func(in evidence.Input) error { _, err := configOf(in); return err },
		Assumed: func(t *evidence.Target) []string {
			c, _ := configOf(t.Input)
			return c.Assumed
		},
		Login:    login,
		Verifier: Verify,
		Crosscheck: func(t *evidence.Target, row relyingparty.Row) string {
			return kubeauth.Crosscheck(t, Name, row.Verdict == relyingparty.Rejects, row.Blocking)
		},
	}
}

// Verify runs kube-apiserver's authenticator configured from the provider
// association (as EKS sets its --oidc-* flags) on the raw token and the
// probed documents, and records its answer in t.Answers[Name].
func Verify(ctx context.Context, t *evidence.Target, raw string, jwks []byte) {
	c, err := configOf(t.Input)
	if err != nil {
		kubeauth.Record(ctx, t, Name, nil, err, raw, jwks)
		return
	}
	j := kubeauth.Legacy(c.IssuerURL, c.ClientID, c.UsernameClaim, c.UsernamePrefix, c.GroupsClaim, c.GroupsPrefix, c.RequiredClaims)
	kubeauth.Record(ctx, t, Name, j, nil, raw, jwks)
}

// login is the Kubernetes user and groups the token logs in as: the
// authenticator's answer, else the claim rules' own computation.
func login(t *evidence.Target) string {
	if a, ok := kubeauth.RecordedAnswer(t, Name); ok && a.Accepted() {
		return a.Describe()
	}
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
