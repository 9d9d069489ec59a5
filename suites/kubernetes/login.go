package kubernetes

import (
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// login is who kube-apiserver's authenticator says the token is.
func login(t *evidence.Target) string {
	a, ok := answer(t)
	if !ok || !a.Accepted() {
		return ""
	}
	return describe(a)
}

// crosscheck compares the authenticator's answer with the verdict of the
// checks: a disagreement is a harness bug, and the run says so.
func crosscheck(t *evidence.Target, v relyingparty.Verdict) string {
	a, ok := answer(t)
	switch {
	case !ok || v == relyingparty.Unknown:
		return ""
	case a.Accepted() && v == relyingparty.Rejects:
		return fmt.Sprintf("kube-apiserver's authenticator accepts the token (%s) but the checks reject it: a harness bug to report", describe(a))
	case !a.Accepted() && v == relyingparty.Accepts:
		return fmt.Sprintf("kube-apiserver's authenticator refuses the token (%s: %s) but the checks accept it: a harness bug to report", a.Stage, a.Error)
	}
	return ""
}
