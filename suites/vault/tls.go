package vault

import (
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// judgeCA: the chains the probe saw verify as Vault verifies them: with
// oidc_discovery_url, discovery and the key set against
// oidc_discovery_ca_pem; with jwks_url, the key set against jwks_ca_pem;
// without a PEM against the host's roots. Plain http is no failure (Vault
// does not require https). The in-process validator reads recorded
// documents, so this is where its TLS is judged.
func judgeCA(t *evidence.Target) check.Finding {
	rp, _ := t.Input.Party(Name)
	if _, ok := rp.Files[FlagConfig]; !ok {
		return check.Skip("no --%s: the run's CA options (TLS-001) stand for Vault's", FlagConfig)
	}
	c, _, _, err := setup(t.Input)
	if err != nil {
		return check.Skip("no Vault set-up: %v", err)
	}
	var pem string
	var exchanges []*evidence.Exchange
	switch {
	case c.OIDCDiscoveryURL != "":
		pem, exchanges = c.OIDCDiscoveryCAPEM, []*evidence.Exchange{t.Discovery, t.JWKS}
	case c.JWKSURL != "":
		pem, exchanges = c.JWKSCAPEM, []*evidence.Exchange{t.JWKS}
	default:
		return check.Skip("the config holds its keys (jwt_validation_pubkeys) or names them by jwks_pairs: no chain of the probed hosts is judged")
	}
	var pool *x509.CertPool
	if pem != "" {
		pool = x509.NewCertPool()
		pool.AppendCertsFromPEM([]byte(pem)) // Validate has parsed it
	}
	judged := 0
	for _, ex := range exchanges {
		h := ex.Final()
		if h == nil || h.TLS == nil || len(h.TLS.Chain) == 0 {
			continue
		}
		if err := verifyChain(h.TLS, pool, t); err != nil {
			return check.Failf("%s: %v", h.TLS.ServerName, err)
		}
		judged++
	}
	switch {
	case judged == 0:
		return check.Skip("no TLS chain was recorded (plain http, which Vault allows, or see TLS-001)")
	case pool == nil:
		return check.Pass("publicly trusted, as Vault needs without a CA PEM")
	}
	return check.Pass("verifies against the config's CA PEM")
}

// verifyChain verifies a recorded chain as Vault does: against pool, the
// only roots Vault uses when a CA PEM is set, or, without one, the host's.
func verifyChain(tl *evidence.TLS, pool *x509.CertPool, t *evidence.Target) error {
	switch err := fetch.VerifyRecorded(tl, pool, t.ProbedAt); {
	case errors.Is(err, fetch.ErrNotPublic):
		return fmt.Errorf("the chain is not publicly trusted and the config sets no CA PEM: Vault uses the host's roots")
	case err != nil:
		return fmt.Errorf("does not verify against the config's CA PEM: %w", err)
	}
	return nil
}
