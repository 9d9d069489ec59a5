// Package tls judges HTTPS for the issuer host and, separately, the jwks_uri
// host (which IAM pins by thumbprint): checks TLS-001 to TLS-005.
package tls

import (
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// host is one TLS observation with the role the host plays.
type host struct {
	role string // "issuer host" or "jwks host"
	tls  *evidence.TLS
}

// String names the value for a finding.
func (h host) String() string { return fmt.Sprintf("%s %s", h.role, h.tls.Host) }

// firstTLS returns the handshake of the first hop of ex.
func firstTLS(ex *evidence.Exchange) *evidence.TLS {
	if ex == nil || len(ex.Hops) == 0 {
		return nil
	}
	return ex.Hops[0].TLS
}

// hosts returns the handshakes observed (the issuer host, then the jwks host if
// it is another host:port), or a skip when there are none.
func hosts(t *evidence.Target) ([]host, *check.Finding) {
	var hs []host
	if is := firstTLS(t.Discovery); is != nil {
		hs = append(hs, host{"issuer host", is})
	}
	if js := firstTLS(t.JWKS); js != nil && (len(hs) == 0 || js.Host != hs[0].tls.Host) {
		hs = append(hs, host{"jwks host", js})
	}
	if len(hs) == 0 {
		var f check.Finding
		if strings.HasPrefix(t.Input.Issuer, "https://") {
			f = check.Skip("no TLS handshake was completed (see DISC-001)")
		} else {
			f = check.Skip("the issuer is not https (see DISC-006)")
		}
		return nil, &f
	}
	return hs, nil
}

// jwksHost returns the handshake with the jwks_uri host, or a skip.
func jwksHost(t *evidence.Target) (*evidence.TLS, *check.Finding) {
	js := firstTLS(t.JWKS)
	if js == nil {
		reason := t.JWKSSkipReason
		if reason == "" && t.JWKS != nil {
			reason = t.JWKS.Err
		}
		f := check.Skip("no TLS handshake with the jwks_uri host: %s", reason)
		return nil, &f
	}
	return js, nil
}

// Thumbprint is IAM's thumbprint of a chain as the server sent it: that of
// the last certificate (stsrules.Thumbprint); "" for no chain.
func Thumbprint(chain [][]byte) string {
	if len(chain) == 0 {
		return ""
	}
	return stsrules.Thumbprint(chain[len(chain)-1])
}

// parseChain parses the DER certificates of a handshake.
func parseChain(t *evidence.TLS) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for i, der := range t.Chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("certificate %d from %s: %w", i, t.Host, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("%s sent no certificate", t.Host)
	}
	return certs, nil
}
