package fetch

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// TestVerifyRecorded: a recorded chain verifies against the relying party's
// own CA, and without one only when it was publicly trusted as probed.
func TestVerifyRecorded(t *testing.T) {
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	other, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Leaf([]string{"issuer.test"}, pki.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pool := func(c *pki.CA) *x509.CertPool { p := x509.NewCertPool(); p.AddCert(c.Root); return p }
	tests := []struct {
		name    string
		public  bool
		pool    *x509.CertPool
		chain   [][]byte
		wantErr error
		fails   bool
	}{
		{"public, no CA of its own", true, nil, leaf.Certificate, nil, false},
		{"private, no CA of its own", false, nil, leaf.Certificate, ErrNotPublic, true},
		{"its own CA", false, pool(ca), leaf.Certificate, nil, false},
		{"another CA", true, pool(other), leaf.Certificate, nil, true},
		{"nothing recorded", false, pool(ca), nil, nil, true},
		{"garbage", false, pool(ca), [][]byte{[]byte("not DER")}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tl := &evidence.TLS{ServerName: "issuer.test", Chain: tt.chain, PubliclyTrusted: tt.public}
			err := VerifyRecorded(tl, tt.pool, time.Now())
			if (err != nil) != tt.fails || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Errorf("error %v, want failure %v (%v)", err, tt.fails, tt.wantErr)
			}
		})
	}
}
