package sts

import (
	"crypto/x509"
	"fmt"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// tlsAnswer is the STS model's TLS rules on the run's handshakes, in the
// order STS fetches: each host's chain sent in order (RuleChainOrder), then
// IAM's thumbprint rule for the jwks_uri host (RuleThumbprint: where IAM
// uses the thumbprints, one matches). nil when they hold or were not seen.
func tlsAnswer(t *evidence.Target) *stsrules.Error {
	for _, ex := range []*evidence.Exchange{t.Discovery, t.JWKS} {
		tl := firstTLS(ex)
		if tl == nil || len(tl.Chain) == 0 {
			continue
		}
		chain, err := parseChain(tl)
		if err != nil {
			continue // TLS-001 judges a certificate that does not parse
		}
		if err := stsrules.ChainOrder(chain); err != nil {
			return stsrules.KeyNotRetrieved(stsrules.RuleChainOrder, fmt.Errorf("the chain of %s as sent: %w", tl.Host, err))
		}
	}
	js := firstTLS(t.JWKS)
	if js == nil || len(js.Chain) == 0 || !js.Verified {
		return nil // TLS-001's, or nothing seen
	}
	var tls12 *bool
	if t.JWKSTLS12 != nil {
		tls12 = &t.JWKSTLS12.Accepted
	}
	use := stsrules.ThumbprintsUsed(js.Host, true, js.PubliclyTrusted, tls12)
	registered := t.Input.Thumbprints
	if t.IAM != nil && t.IAM.ProviderURL != "" {
		registered = t.IAM.Thumbprints
	}
	tp := stsrules.Thumbprint(js.Chain[len(js.Chain)-1])
	if use.Used && !slices.ContainsFunc(registered, func(r string) bool { return strings.EqualFold(r, tp) }) {
		return stsrules.Refuse(stsrules.RuleThumbprint, stsrules.MsgThumbprint,
			fmt.Errorf("%s, and the thumbprint %s of its last certificate is not registered", use.Reason, tp))
	}
	return nil
}

// firstTLS is the handshake of an exchange's first hop, or nil.
func firstTLS(ex *evidence.Exchange) *evidence.TLS {
	if ex == nil || len(ex.Hops) == 0 {
		return nil
	}
	return ex.Hops[0].TLS
}

// parseChain parses a handshake's certificates as sent.
func parseChain(tl *evidence.TLS) ([]*x509.Certificate, error) {
	out := make([]*x509.Certificate, 0, len(tl.Chain))
	for _, der := range tl.Chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
