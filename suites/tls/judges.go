package tls

import (
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

func judgeChain(t *evidence.Target) check.Finding {
	hs, skip := hosts(t)
	if skip != nil {
		return *skip
	}
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

func judgeVersion(t *evidence.Target) check.Finding {
	hs, skip := hosts(t)
	if skip != nil {
		return *skip
	}
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

func judgeValidity(t *evidence.Target) check.Finding {
	hs, skip := hosts(t)
	if skip != nil {
		return *skip
	}
	now := t.ProbedAt
	var fails, warns, ok []string
	for _, h := range hs {
		certs, err := parseChain(h.tls)
		if err != nil {
			fails = append(fails, err.Error())
			continue
		}
		leaf := certs[0]
		left := leaf.NotAfter.Sub(now)
		switch {
		case now.After(leaf.NotAfter):
			fails = append(fails, fmt.Sprintf("%s: certificate expired %s", h, leaf.NotAfter.UTC().Format(time.RFC3339)))
		case now.Before(leaf.NotBefore):
			fails = append(fails, fmt.Sprintf("%s: certificate not valid before %s", h, leaf.NotBefore.UTC().Format(time.RFC3339)))
		case left < RenewalWindow:
			warns = append(warns, fmt.Sprintf("%s: certificate expires in %d days (%s)", h, int(left.Hours()/24), leaf.NotAfter.UTC().Format(time.RFC3339)))
		default:
			ok = append(ok, fmt.Sprintf("%s: valid until %s", h, leaf.NotAfter.UTC().Format("2006-01-02")))
		}
	}
	switch {
	case len(fails) > 0:
		return check.Failf("%s", strings.Join(append(fails, warns...), "; "))
	case len(warns) > 0:
		return check.Warnf("%s", strings.Join(warns, "; "))
	}
	return check.Pass("%s", strings.Join(ok, "; "))
}

func judgeThumbprint(t *evidence.Target) check.Finding {
	js, skip := jwksHost(t)
	if skip != nil {
		return *skip
	}
	certs, err := parseChain(js)
	if err != nil {
		return check.Failf("%v", err)
	}
	top := certs[len(certs)-1]
	tp := Thumbprint(js.Chain)
	if len(certs) == 1 {
		return check.Warnf("thumbprint %s is of the leaf %q itself: %s sends no intermediate, so the thumbprint changes at every renewal", tp, top.Subject.CommonName, js.Host)
	}
	return check.Pass("thumbprint %s (%q, the last certificate %s sends)", tp, top.Subject.CommonName, js.Host)
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

func judgeThumbprintMatch(t *evidence.Target) check.Finding {
	if len(t.Input.Thumbprints) == 0 {
		return check.Skip("no --thumbprint given (IAM no longer needs one at creation: it fetches the top intermediate's itself)")
	}
	js, skip := jwksHost(t)
	if skip != nil {
		return *skip
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

func judgeChainOrder(t *evidence.Target) check.Finding {
	hs, skip := hosts(t)
	if skip != nil {
		return *skip
	}
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
