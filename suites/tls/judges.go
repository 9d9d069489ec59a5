package tls

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
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

func judgeThumbprintMatch(t *evidence.Target) check.Finding {
	if len(t.Input.Thumbprints) == 0 {
		return check.Skip("no --thumbprint given")
	}
	js, skip := jwksHost(t)
	if skip != nil {
		return *skip
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
