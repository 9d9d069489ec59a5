package tls

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// RenewalWindow is how long a leaf must stay valid before TLS-003 warns.
const RenewalWindow = 30 * 24 * time.Hour

func judgeChain(_ *evidence.Target, hs []host) check.Finding {
	var bad, good []string
	for _, h := range hs {
		if h.tls.Verified {
			good = append(good, h.String())
		} else {
			bad = append(bad, fmt.Sprintf("%s: %s", h, h.tls.VerifyError))
		}
	}
	if len(bad) > 0 {
		return check.Failf("%s", strings.Join(bad, "; "))
	}
	return check.Pass("chain verifies for %s", strings.Join(good, " and "))
}

func judgeVersion(_ *evidence.Target, hs []host) check.Finding {
	var bad, good []string
	for _, h := range hs {
		if h.tls.Version == "TLS 1.2" || h.tls.Version == "TLS 1.3" {
			good = append(good, fmt.Sprintf("%s: %s", h, h.tls.Version))
		} else {
			bad = append(bad, fmt.Sprintf("%s negotiated %s, want TLS 1.2 or later", h, h.tls.Version))
		}
	}
	if len(bad) > 0 {
		return check.Failf("%s", strings.Join(bad, "; "))
	}
	return check.Pass("%s", strings.Join(good, "; "))
}

// leaves returns each host's leaf certificate, or the first parse error.
func leaves(hs []host) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, h := range hs {
		certs, err := parseChain(h.tls)
		if err != nil {
			return nil, err
		}
		out = append(out, certs[0])
	}
	return out, nil
}

// judgeCurrent is TLS-006: every leaf is valid now.
func judgeCurrent(t *evidence.Target, hs []host) check.Finding {
	ls, err := leaves(hs)
	if err != nil {
		return check.Failf("%v", err)
	}
	now := t.ProbedAt
	var fails, ok []string
	for i, leaf := range ls {
		switch {
		case now.After(leaf.NotAfter):
			fails = append(fails, fmt.Sprintf("%s: certificate expired %s", hs[i], leaf.NotAfter.UTC().Format(time.RFC3339)))
		case now.Before(leaf.NotBefore):
			fails = append(fails, fmt.Sprintf("%s: certificate not valid before %s", hs[i], leaf.NotBefore.UTC().Format(time.RFC3339)))
		default:
			ok = append(ok, fmt.Sprintf("%s: valid until %s", hs[i], leaf.NotAfter.UTC().Format("2006-01-02")))
		}
	}
	if len(fails) > 0 {
		return check.Failf("%s: STS refuses the connection", strings.Join(fails, "; "))
	}
	return check.Pass("%s", strings.Join(ok, "; "))
}

// judgeValidity is TLS-003, the renewal window; it requires TLS-006, so
// every leaf parses and is valid now.
func judgeValidity(t *evidence.Target, hs []host) check.Finding {
	ls, err := leaves(hs)
	if err != nil {
		return check.Blocked("TLS-006")
	}
	var warns, ok []string
	for i, leaf := range ls {
		left := leaf.NotAfter.Sub(t.ProbedAt)
		switch {
		case left < 0 || t.ProbedAt.Before(leaf.NotBefore):
			return check.Blocked("TLS-006")
		case left < RenewalWindow:
			warns = append(warns, fmt.Sprintf("%s: certificate expires in %d days (%s)", hs[i], int(left.Hours()/24), leaf.NotAfter.UTC().Format(time.RFC3339)))
		default:
			ok = append(ok, fmt.Sprintf("%s: %d days left", hs[i], int(left.Hours()/24)))
		}
	}
	if len(warns) > 0 {
		return check.Warnf("%s", strings.Join(warns, "; "))
	}
	return check.Pass("%s", strings.Join(ok, "; "))
}

// judgeThumbprint is TLS-004, a fact: IAM's thumbprint of the jwks_uri
// host, of the last certificate it sends. Whether that certificate is an
// intermediate is TLS-007's rule.
func judgeThumbprint(_ *evidence.Target, js *evidence.TLS) check.Finding {
	certs, err := parseChain(js)
	if err != nil {
		return check.Skip("no thumbprint: %v", err)
	}
	top := certs[len(certs)-1]
	tp := Thumbprint(js.Chain)
	if len(certs) == 1 {
		return check.Pass("thumbprint %s, of the leaf %q itself: %s sends no intermediate (see TLS-007)", tp, top.Subject.CommonName, js.Host)
	}
	return check.Pass("thumbprint %s (%q, the last certificate %s sends)", tp, top.Subject.CommonName, js.Host)
}

// judgeIntermediateSent is TLS-007: the jwks_uri host sends its chain, so
// the thumbprint IAM pins is an intermediate's and survives renewals.
func judgeIntermediateSent(_ *evidence.Target, js *evidence.TLS) check.Finding {
	certs, err := parseChain(js)
	if err != nil {
		return check.Skip("the chain did not parse: %v", err)
	}
	if len(certs) == 1 {
		return check.Warnf("%s sends the leaf %q alone, so the IAM thumbprint is the leaf's and changes at every renewal",
			js.Host, certs[0].Subject.CommonName)
	}
	return check.Pass("%s sends %d certificates; the thumbprint is of %q", js.Host, len(certs), certs[len(certs)-1].Subject.CommonName)
}

func judgeThumbprintMatch(t *evidence.Target, js *evidence.TLS) check.Finding {
	if len(t.Input.Thumbprints) == 0 {
		return check.Skip("no --thumbprint given")
	}
	tp := Thumbprint(js.Chain)
	if slices.Contains(t.Input.Thumbprints, tp) {
		return check.Pass("thumbprint %s is registered", tp)
	}
	if js.PubliclyTrusted {
		return check.Warnf("thumbprint %s is not among [%s]; the chain is publicly trusted, so AWS ignores thumbprints", tp, strings.Join(t.Input.Thumbprints, ", "))
	}
	return check.Failf("thumbprint %s of %s is not among the registered [%s]; the chain is not publicly trusted, so STS will refuse the keys", tp, js.Host, strings.Join(t.Input.Thumbprints, ", "))
}
