package fetch

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
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
	v := c.verdictOf(cs.PeerCertificates, u.Hostname())
	t.Verified, t.PubliclyTrusted, t.VerifyError = v.verified, v.public, v.err
	return t
}

// maxCachedChains bounds the verdict cache: a server may send a new chain
// on every connection.
const maxCachedChains = 4096

// chainVerdict is the outcome of verifying one chain for one name.
type chainVerdict struct {
	verified, public bool
	err              string
}

// verdictOf verifies chain for name against the client's roots, and against
// the system roots alone, once per distinct chain and name: a fleet's
// issuers behind one host (EKS's oidc.eks.<region>.amazonaws.com) present
// the same chain on every connection. The roots of a client never change.
func (c *Client) verdictOf(chain []*x509.Certificate, name string) chainVerdict {
	h := sha256.New()
	h.Write([]byte(name))
	for _, cert := range chain {
		h.Write([]byte{0})
		h.Write(cert.Raw)
	}
	key := string(h.Sum(nil))
	if v, ok := c.verified.Load(key); ok {
		return v.(chainVerdict)
	}
	var v chainVerdict
	if err := verifyChain(chain, name, c.trusted(), time.Now()); err != nil {
		v.err = err.Error()
	} else {
		v.verified = true
		v.public = stsrules.PubliclyTrusted(chain, name, c.public, time.Now())
	}
	if c.cached.Add(1) <= maxCachedChains {
		c.verified.Store(key, v)
	}
	return v
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

// ErrNotPublic is VerifyRecorded's answer for a chain that must be publicly
// trusted (no CA of the relying party's own) and, as probed, is not.
var ErrNotPublic = errors.New("the chain is not publicly trusted")

// VerifyRecorded verifies a recorded handshake's chain for its server name
// at now, as a relying party with its own CA setting does: against pool
// (its CA PEM) when it has one, else the chain must have been publicly
// trusted when probed (ErrNotPublic). Dates are VerifyChain's.
func VerifyRecorded(tl *evidence.TLS, pool *x509.CertPool, now time.Time) error {
	if pool == nil {
		if !tl.PubliclyTrusted {
			return ErrNotPublic
		}
		return nil
	}
	certs := make([]*x509.Certificate, 0, len(tl.Chain))
	for _, der := range tl.Chain {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return fmt.Errorf("certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return errors.New("no certificate was recorded")
	}
	return verifyChain(certs, tl.ServerName, pool, now)
}
