package kubernetes

import (
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// judgeCA: the chains the probe saw for the discovery and JWKS hosts verify
// as kube-apiserver verifies them: against issuer.certificateAuthority when
// the entry sets it, else against the host's roots. The in-process
// authenticator reads recorded documents, so this is where its TLS is judged.
func judgeCA(t *evidence.Target) check.Finding {
	rp, _ := t.Input.Party(Name)
	if _, ok := rp.Files[FlagConfig]; !ok {
		return check.Pass("no --%s: the run's CA options (TLS-001) stand for the API server's", FlagConfig)
	}
	j, _, err := entry(t.Input)
	if err != nil {
		return check.Skip("no jwt[] entry: %v", err)
	}
	var pool *x509.CertPool
	if pem := j.CertificateAuthority(); pem != "" {
		pool = x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(pem)) {
			return check.Failf("issuer.certificateAuthority holds no PEM certificate")
		}
	}
	judged := 0
	for _, ex := range []*evidence.Exchange{t.Discovery, t.JWKS} {
		h := ex.Final()
		if h == nil || h.TLS == nil || len(h.TLS.Chain) == 0 {
			continue
		}
		if err := verifyChain(h.TLS, pool, t); err != nil {
			return check.Failf("%s: %v", h.TLS.ServerName, err)
		}
		judged++
	}
	if judged == 0 {
		return check.Skip("no TLS chain was recorded (see TLS-001)")
	}
	if pool == nil {
		return check.Pass("publicly trusted, as kube-apiserver needs without issuer.certificateAuthority")
	}
	return check.Pass("verifies against issuer.certificateAuthority")
}

// verifyChain verifies a recorded chain as kube-apiserver does: against
// pool (issuer.certificateAuthority), or, without one, the host's roots.
func verifyChain(tl *evidence.TLS, pool *x509.CertPool, t *evidence.Target) error {
	switch err := fetch.VerifyRecorded(tl, pool, t.ProbedAt); {
	case errors.Is(err, fetch.ErrNotPublic):
		return fmt.Errorf("the chain is not publicly trusted and the jwt[] entry sets no issuer.certificateAuthority: kube-apiserver uses the host's roots")
	case err != nil:
		return fmt.Errorf("does not verify against issuer.certificateAuthority: %w", err)
	}
	return nil
}
