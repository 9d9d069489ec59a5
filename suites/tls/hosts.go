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
		// No handshake: the issuer is not https (DISC-006), or the
		// connection failed before one completed (DISC-001 says how).
		f := check.Blocked("DISC-001")
		if !strings.HasPrefix(t.Input.Issuer, "https://") {
			f = check.Blocked("DISC-006")
		}
		return nil, &f
	}
	return hs, nil
}

// withHosts adapts a judge of every handshake observed; without one it is
// blocked by the check that says why there is none.
func withHosts(judge func(*evidence.Target, []host) check.Finding) check.Judge {
	return func(t *evidence.Target) check.Finding {
		hs, blocked := hosts(t)
		if blocked != nil {
			return *blocked
		}
		return judge(t, hs)
	}
}

// withJWKSHost adapts a judge of the handshake with the jwks_uri host. The
// checks using it require DISC-007 (else nothing was fetched); a fetch that
// completed no handshake is JWKS-001's failure.
func withJWKSHost(judge func(*evidence.Target, *evidence.TLS) check.Finding) check.Judge {
	return func(t *evidence.Target) check.Finding {
		if t.JWKS == nil {
			return check.Blocked("DISC-007")
		}
		js := firstTLS(t.JWKS)
		if js == nil {
			return check.Blocked("JWKS-001")
		}
		return judge(t, js)
	}
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
