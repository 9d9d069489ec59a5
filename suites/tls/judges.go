package tls

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
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

// ThumbprintUse applies IAM's thumbprint rule (stsrules.ThumbprintsUsed)
// to the observed jwks_uri host: its chain as fetched and the extra TLS 1.2
// handshake. IAM-003 shares it.
func ThumbprintUse(t *evidence.Target, js *evidence.TLS) stsrules.ThumbprintUse {
	var tls12 *bool
	switch {
	case t.JWKSTLS12 != nil:
		tls12 = &t.JWKSTLS12.Accepted
	case js.Version == "TLS 1.2":
		yes := true
		tls12 = &yes
	}
	return stsrules.ThumbprintsUsed(js.Host, len(js.Chain) > 0, js.PubliclyTrusted, tls12)
}

func judgeThumbprintMatch(t *evidence.Target, js *evidence.TLS) check.Finding {
	if len(t.Input.Thumbprints) == 0 {
		return check.Skip("no --thumbprint given (IAM no longer needs one at creation: it fetches the top intermediate's itself)")
	}
	tp := Thumbprint(js.Chain)
	use := ThumbprintUse(t, js)
	if slices.ContainsFunc(t.Input.Thumbprints, func(r string) bool { return strings.EqualFold(r, tp) }) {
		return check.Pass("thumbprint %s is registered (%s)", tp, use.Reason)
	}
	if !use.Used {
		return check.Warnf("thumbprint %s is not among [%s]: %s; it would matter if the host dropped TLS 1.2",
			tp, strings.Join(t.Input.Thumbprints, ", "), use.Reason)
	}
	return check.Failf("thumbprint %s of %s is not among the registered [%s]: %s, so STS will answer %q",
		tp, js.Host, strings.Join(t.Input.Thumbprints, ", "), use.Reason, stsrules.MsgThumbprint)
}

// judgeChainOrder is TLS-008: each host's chain as sent is in order
// (stsrules.ChainOrder, RuleChainOrder).
func judgeChainOrder(_ *evidence.Target, hs []host) check.Finding {
	var bad, good []string
	for _, h := range hs {
		certs, err := parseChain(h.tls)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		if err := stsrules.ChainOrder(certs); err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", h, err))
			continue
		}
		n := fmt.Sprintf("%d certificates", len(certs))
		if len(certs) == 1 {
			n = "1 certificate"
		}
		good = append(good, fmt.Sprintf("%s: %s in order", h, n))
	}
	if len(bad) > 0 {
		return check.Failf("%s (IAM: \"signature mismatch error\", STS fails to validate the token)", strings.Join(bad, "; "))
	}
	return check.Pass("%s", strings.Join(good, "; "))
}
