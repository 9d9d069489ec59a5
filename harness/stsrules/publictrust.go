package stsrules

import (
	"crypto/x509"
	"errors"
	"time"
)

// PubliclyTrusted is the model's reading of IAM's "signed by one of these
// trusted CAs", the input of ThumbprintsUsed: chain (leaf first, as sent)
// verifies for name against public, the roots that stand for AWS's library
// of trusted root CAs, whatever its dates (TLS-003 and TLS-006 judge those).
// AWS's library is not published: public nil means this machine's system
// roots; a test passes its own CA to count it public (fetch.Options and
// the mock STS's PublicRoots). A CA trusted only to verify the chain (run's
// --ca-file, the mock STS's ca_files) is never public: a private CA is not
// in AWS's library, so IAM verifies such a chain by thumbprint. run (through
// the fetch client's evidence) and the mock STS both take this bit from here.
func PubliclyTrusted(chain []*x509.Certificate, name string, public *x509.CertPool, now time.Time) bool {
	if len(chain) == 0 {
		return false
	}
	leaf := chain[0]
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{DNSName: name, Roots: public, Intermediates: inter, CurrentTime: now}
	_, err := leaf.Verify(opts)
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired {
		opts.CurrentTime = leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)
		_, err = leaf.Verify(opts)
	}
	return err == nil
}
