// Package kubernetes is the kubernetes-jwt relying party: kube-apiserver's
// JWT authenticator configured by an AuthenticationConfiguration jwt[] entry
// (--authentication-config, KEP-3331). Its own checks are K8S-001..011; the
// authenticator itself runs in-process in the probe phase (harness/kubeauth)
// and K8S-010 reports its answer beside the K8S- rules.
package kubernetes

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Name is the relying party's name on the command line (--for).
const Name = "kubernetes-jwt"

// Flags of the relying party's inputs.
const (
	// FlagConfig is the AuthenticationConfiguration file.
	FlagConfig = "k8s-auth-config"
	// FlagIssuer names the jwt[] entry by its issuer.url.
	FlagIssuer = "k8s-jwt-issuer"
)

// shared are the shared checks that hold for kube-apiserver too: the
// discovery document served and parsed with its issuer, TLS and a
// certificate valid now (the in-process authenticator reads
// recorded documents, so it never sees the connection), and keys that stay
// published and agree across replicas (over time, which one call cannot
// show). The key set, the signature and the claims' types are the
// authenticator's own answer (K8S-010): go-jose and go-oidc v2 accept what
// STS's rules refuse (PS256, no kid, a float exp) and refuse what they
// accept (a JWK whose x5c disagrees). TOK-012 (a signature algorithm, not
// none, not HS*) holds for every relying party: the authenticator verifies
// with the key set's public keys; K8S-002 judges its own list beyond it.
var shared = []string{"DISC-001", "DISC-004", "DISC-005", "TLS-001", "TLS-002", "TLS-006", "TOK-012", "ROT-002", "ROT-004"}

// Party returns the kubernetes-jwt relying party.
func Party() relyingparty.Party {
	return relyingparty.Party{
		Name:    Name,
		Title:   "kube-apiserver JWT authenticator (AuthenticationConfiguration jwt[])",
		Profile: check.OIDC,
		Prefix:  "K8S-",
		Checks:  Checks,
		Reads:   shared,
		Needs:   []string{"K8S-002", "K8S-003", "K8S-004", "K8S-005", "K8S-006", "K8S-010"},
		Inputs: []relyingparty.Input{
			{Flag: FlagConfig, File: true, Usage: "kubernetes-jwt: the AuthenticationConfiguration file (apiserver.config.k8s.io/v1 or v1beta1) kube-apiserver's --authentication-config reads"},
			{Flag: FlagIssuer, Usage: "kubernetes-jwt: the issuer.url of the jwt[] entry to judge (default: the only entry, or the one for the probed issuer)"},
		},
		Validate:   validate,
		Assumed:    assumed,
		Login:      login,
		Verifier:   Verify,
		Crosscheck: crosscheck,
	}
}

// validate decodes and validates the inputs as kube-apiserver would.
func validate(in evidence.Input) error {
	_, _, err := entry(in)
	return err
}

// assumed says what a run without a file assumed.
func assumed(t *evidence.Target) []string {
	_, a, _ := entry(t.Input)
	return a
}
