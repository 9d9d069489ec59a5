package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/url"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// verify records a handshake and verifies its chain for the URL's host name,
// against the system roots plus ExtraRoots. A chain whose only fault is its
// dates counts as verified here: TLS-006 and TLS-003 judge validity periods, so each
// defect shows up as exactly one check.
func (c *Client) verify(u *url.URL, cs *tls.ConnectionState) *evidence.TLS {
	t := &evidence.TLS{
		Host:       u.Host,
		ServerName: u.Hostname(),
		Version:    tls.VersionName(cs.Version),
	}
	for _, cert := range cs.PeerCertificates {
		t.Chain = append(t.Chain, cert.Raw)
	}
	if len(cs.PeerCertificates) == 0 {
		t.VerifyError = "server sent no certificate"
		return t
	}
	err := verifyChain(cs.PeerCertificates, u.Hostname(), c.roots, time.Now())
	if err == nil {
		t.Verified = true
		t.PubliclyTrusted = verifyChain(cs.PeerCertificates, u.Hostname(), c.public, time.Now()) == nil
		return t
	}
	t.VerifyError = err.Error()
	return t
}

// VerifyChain verifies chain (leaf first, as sent) for name against roots
// (nil: the system roots). An error that is only about dates is retried at
// the middle of the leaf's validity; see verify.
func VerifyChain(chain []*x509.Certificate, name string, roots *x509.CertPool, now time.Time) error {
	return verifyChain(chain, name, roots, now)
}

func verifyChain(chain []*x509.Certificate, name string, roots *x509.CertPool, now time.Time) error {
	leaf := chain[0]
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{DNSName: name, Roots: roots, Intermediates: inter, CurrentTime: now}
	_, err := leaf.Verify(opts)
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		opts.CurrentTime = leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
		_, err = leaf.Verify(opts)
	}
	return err
}
