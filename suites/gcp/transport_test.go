package gcp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// certificate returns a DER leaf for idp.test, self-signed or signed by a
// CA of its own.
func certificate(t *testing.T, self bool) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "idp.test"}, DNSNames: []string{"idp.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	parent, signer := tmpl, key
	if !self {
		caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		parent = &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, IsCA: true, BasicConstraintsValid: true,
			KeyUsage: x509.KeyUsageCertSign, NotBefore: tmpl.NotBefore, NotAfter: tmpl.NotAfter}
		signer = caKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestJudgeTransport(t *testing.T) {
	exchange := func(der []byte, public bool) *evidence.Exchange {
		return &evidence.Exchange{Hops: []evidence.Hop{{Status: 200, TLS: &evidence.TLS{ServerName: "idp.test", Chain: [][]byte{der}, Verified: true, PubliclyTrusted: public}}}}
	}
	tests := []struct {
		name   string
		file   string
		disc   *evidence.Exchange
		want   check.Status
		msg    string
		assume bool
	}{
		{"CA-issued, public", "", exchange(certificate(t, false), true), check.Passed, "CA-issued", false},
		{"CA-issued, the run's CA", "", exchange(certificate(t, false), false), check.Passed, "CA-issued", true},
		{"self-signed", "", exchange(certificate(t, true), false), check.Failed, "self-signed", true},
		{"http issuerUri", describe(func(m map[string]string) { m["oidc"] = `{"issuerUri":"http://idp.test"}` }), exchange(certificate(t, false), true), check.Failed, "not an https URL", false},
		{"no chain", "", &evidence.Exchange{Err: "refused"}, check.Skipped, "DISC-001", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := target(tt.file, "", "", time.Now())
			tg.Discovery = tt.disc
			f := judgeTransport(tg)
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s %q, want %s with %q", f.Status, f.Message, tt.want, tt.msg)
			}
			if a := strings.Join(assumed(tg), " "); strings.Contains(a, "public one") != tt.assume {
				t.Errorf("assumed %q", a)
			}
		})
	}
}
