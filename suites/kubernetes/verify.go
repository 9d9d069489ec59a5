package kubernetes

import (
	"context"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Verify runs kube-apiserver's authenticator for the target's jwt[] entry
// on the raw token and the documents the probe fetched (jwks: the key set
// as served), and records its answer in t.Answers[Name]. It fetches nothing.
func Verify(ctx context.Context, t *evidence.Target, raw string, jwks []byte) {
	j, _, err := entry(t.Input)
	kubeauth.Record(ctx, t, Name, j, err, raw, jwks)
}

// login is who kube-apiserver's authenticator says the token is.
func login(t *evidence.Target) string {
	a, ok := kubeauth.RecordedAnswer(t, Name)
	if !ok || !a.Accepted() {
		return ""
	}
	return a.Describe()
}

// crosscheck reports the checks rejecting a token the authenticator accepts.
func crosscheck(t *evidence.Target, row relyingparty.Row) string {
	return kubeauth.Crosscheck(t, Name, row.Verdict == relyingparty.Rejects, row.Blocking, "K8S-011")
}
