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

// shared are the shared checks kube-apiserver's authenticator enforces too:
// the discovery document served and parsed with its issuer, TLS, a key set
// that parses (go-jose rejects the whole set for one bad key), keys still
// published, the signature, and the token's times (exp with no leeway).
var shared = []string{
	"DISC-001", "DISC-004", "DISC-005", "DISC-006", "TLS-001", "TLS-002", "JWKS-002", "JWKS-003",
	"ROT-001", "ROT-002", "ROT-004", "ROT-005", "TOK-004", "TOK-008", "TOK-009",
}

// Party returns the kubernetes-jwt relying party.
func Party() relyingparty.Party {
	return relyingparty.Party{
		Name:    Name,
		Title:   "kube-apiserver JWT authenticator (AuthenticationConfiguration jwt[])",
		Profile: check.Kubernetes,
		Prefix:  "K8S-",
		Checks:  Checks,
		Reads:   shared,
		Needs:   []string{"TOK-004", "K8S-002", "K8S-003", "K8S-004", "K8S-005", "K8S-006", "K8S-010"},
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
