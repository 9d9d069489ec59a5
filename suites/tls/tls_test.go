package tls

import (
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// observed builds the handshake record of a leaf made with opts.
func observed(t *testing.T, ca *pki.CA, opts pki.LeafOptions) *evidence.TLS {
	t.Helper()
	cert, err := ca.Leaf([]string{"issuer.test"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &evidence.TLS{Host: "issuer.test:443", ServerName: "issuer.test", Version: "TLS 1.3",
		Chain: cert.Certificate, Verified: true}
}

func targetWith(issuerTLS, jwksTLS *evidence.TLS, thumbprints ...string) *evidence.Target {
	return &evidence.Target{
		Input:     evidence.Input{Issuer: "https://issuer.test", Profile: "aws", Thumbprints: thumbprints},
		ProbedAt:  time.Now(),
		Discovery: &evidence.Exchange{Hops: []evidence.Hop{{Status: 200, TLS: issuerTLS}}},
		JWKS:      &evidence.Exchange{Hops: []evidence.Hop{{Status: 200, TLS: jwksTLS}}},
	}
}

// tls12 records the extra TLS 1.2 handshake with the jwks host.
func tls12(tg *evidence.Target, accepted bool) *evidence.Target {
	tg.JWKSTLS12 = &evidence.Handshake{Host: "issuer.test:443", MaxVersion: "TLS 1.2", Accepted: accepted}
	return tg
}

// chained is tl with its leaf followed by certs, as sent.
func chained(tl *evidence.TLS, certs ...[]byte) *evidence.TLS {
	c := *tl
	c.Chain = append([][]byte{tl.Chain[0]}, certs...)
	return &c
}

func TestJudges(t *testing.T) {
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	good := observed(t, ca, pki.LeafOptions{})
	inter := pki.Thumbprint(ca.Intermediate)
	otherHost := func(tl *evidence.TLS) *evidence.TLS { c := *tl; c.Host = "keys.test:443"; return &c }
	tests := []struct {
		name   string
		id     string
		target *evidence.Target
		want   check.Status
		msg    string
	}{
		{"verified", "TLS-001", targetWith(good, good), check.Passed, "issuer host"},
		{"unverified jwks host", "TLS-001", targetWith(good, func() *evidence.TLS {
			c := *otherHost(good)
			c.Verified, c.VerifyError = false, "x509: certificate is valid for wrong.test"
			return &c
		}()), check.Failed, "jwks host keys.test:443: x509"},
		{"no handshake", "TLS-001", targetWith(nil, nil), check.Skipped, "DISC-001"},
		{"tls 1.3", "TLS-002", targetWith(good, good), check.Passed, ""},
		{"tls 1.1", "TLS-002", targetWith(func() *evidence.TLS { c := *good; c.Version = "TLS 1.1"; return &c }(), nil), check.Failed, "TLS 1.1"},
		{"valid 90 days", "TLS-003", targetWith(good, good), check.Passed, "days left"},
		{"expiring", "TLS-003", targetWith(observed(t, ca, pki.LeafOptions{NotAfter: time.Now().Add(10 * 24 * time.Hour)}), nil), check.Warning, "expires in"},
		{"expired is TLS-006's", "TLS-003", targetWith(observed(t, ca, pki.LeafOptions{NotAfter: time.Now().Add(-24 * time.Hour)}), nil), check.Skipped, "not judged: TLS-006 failed"},
		{"valid now", "TLS-006", targetWith(good, good), check.Passed, "valid until"},
		{"expiring is TLS-003's", "TLS-006", targetWith(observed(t, ca, pki.LeafOptions{NotAfter: time.Now().Add(10 * 24 * time.Hour)}), nil), check.Passed, ""},
		{"expired", "TLS-006", targetWith(observed(t, ca, pki.LeafOptions{NotAfter: time.Now().Add(-24 * time.Hour)}), nil), check.Failed, "expired"},
		{"not yet valid", "TLS-006", targetWith(observed(t, ca, pki.LeafOptions{NotBefore: time.Now().Add(24 * time.Hour), NotAfter: time.Now().Add(48 * time.Hour)}), nil), check.Failed, "not valid before"},
		{"no handshake, not https", "TLS-006", func() *evidence.Target {
			tg := targetWith(nil, nil)
			tg.Input.Issuer = "http://issuer.test"
			return tg
		}(), check.Skipped, "not judged: DISC-006 failed"},
		{"thumbprint", "TLS-004", targetWith(good, good), check.Passed, inter},
		{"thumbprint of leaf is a fact", "TLS-004", targetWith(good, observed(t, ca, pki.LeafOptions{DirectFromRoot: true})), check.Passed, "sends no intermediate (see TLS-007)"},
		{"thumbprint without jwks handshake", "TLS-004", targetWith(good, nil), check.Skipped, "not judged: JWKS-001 failed"},
		{"intermediate sent", "TLS-007", targetWith(good, good), check.Passed, "2 certificates"},
		{"leaf alone", "TLS-007", targetWith(good, observed(t, ca, pki.LeafOptions{DirectFromRoot: true})), check.Warning, "changes at every renewal"},
		{"no thumbprint given", "TLS-005", targetWith(good, good), check.Skipped, "no --thumbprint"},
		{"thumbprint registered", "TLS-005", targetWith(good, good, "0000000000000000000000000000000000000000", inter), check.Passed, ""},
		{"thumbprint stale", "TLS-005", targetWith(good, observed(t, ca, pki.LeafOptions{SecondIntermediate: true}), inter), check.Failed, "not among"},
		{"thumbprint stale public", "TLS-005", targetWith(good, func() *evidence.TLS {
			c := *observed(t, ca, pki.LeafOptions{SecondIntermediate: true})
			c.PubliclyTrusted = true
			return &c
		}(), inter), check.Warning, "publicly trusted"},
		{"thumbprint stale public tls12", "TLS-005", tls12(targetWith(good, func() *evidence.TLS {
			c := *observed(t, ca, pki.LeafOptions{SecondIntermediate: true})
			c.PubliclyTrusted = true
			return &c
		}(), inter), true), check.Warning, "AWS ignores the thumbprint"},
		{"thumbprint stale public tls13 only", "TLS-005", tls12(targetWith(good, func() *evidence.TLS {
			c := *observed(t, ca, pki.LeafOptions{SecondIntermediate: true})
			c.PubliclyTrusted = true
			return &c
		}(), inter), false), check.Failed, "refuses TLS 1.2"},
		{"thumbprint registered tls13 only", "TLS-005", tls12(targetWith(good, good, inter), false), check.Passed, "is registered"},
		{"chain in order", "TLS-008", targetWith(good, good), check.Passed, "2 certificates in order"},
		{"chain leaf alone", "TLS-008", targetWith(good, otherHost(observed(t, ca, pki.LeafOptions{DirectFromRoot: true}))), check.Passed, "1 certificate in order"},
		{"chain with root", "TLS-008", targetWith(good, otherHost(chained(good, good.Chain[1], ca.Root.Raw))), check.Passed, "3 certificates in order"},
		{"chain misordered", "TLS-008", targetWith(good, otherHost(chained(good, ca.Root.Raw, good.Chain[1]))), check.Failed, "not signed by certificate 1"},
		{"chain duplicate", "TLS-008", targetWith(good, otherHost(chained(good, good.Chain[1], good.Chain[1]))), check.Failed, "duplicate of certificate 1"},
		{"chain extra", "TLS-008", targetWith(good, otherHost(chained(good, good.Chain[1], observed(t, ca, pki.LeafOptions{SecondIntermediate: true}).Chain[1]))), check.Failed, "not signed by"},
	}
	cat := Checks()
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, func(t *testing.T) {
			c, _ := cat.Lookup(tt.id)
			f := c.Judge(tt.target)
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, f.Status, f.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestCatalogValid(t *testing.T) {
	if err := Checks().ValidatePart(); err != nil {
		t.Fatal(err)
	}
}
