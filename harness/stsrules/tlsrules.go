package stsrules

import (
	"bytes"
	"crypto/x509"
	"fmt"
)

// ThumbprintMismatch is RuleThumbprint's refusal: IAM uses the thumbprints
// (ThumbprintsUsed) and none matches; cause says why.
func ThumbprintMismatch(cause error) *Error { return refuse(RuleThumbprint, "", cause) }

// ThumbprintUse is whether IAM consults a provider's registered thumbprints
// for its JWKS host, and why.
type ThumbprintUse struct {
	// Used is true when the thumbprints decide whether STS trusts the host.
	Used bool
	// Reason says why, naming the host, for a finding or an error's cause.
	Reason string
}

// ThumbprintsUsed is IAM's rule for a provider's thumbprints (IAM User
// Guide, "Obtain the thumbprint for an OpenID Connect identity provider";
// API reference, UpdateOpenIDConnectProviderThumbprint): AWS verifies the
// JWKS host's chain against its own library of trusted root CAs and uses
// the thumbprints "only" when the chain is not signed by one of them, and
// "will fall back to thumbprint verification if we are unable to retrieve
// the TLS certificate or if TLS v1.3 is required". AWS's root library is
// not published: publiclyTrusted is "trusted by this machine's roots".
// speaksTLS12 is nil when it was not observed (evidence saved by an older
// version): a guess either way, so the thumbprints count as not used and the
// reason says it was not observed.
func ThumbprintsUsed(host string, retrieved, publiclyTrusted bool, speaksTLS12 *bool) ThumbprintUse {
	switch {
	case !retrieved:
		return ThumbprintUse{true, fmt.Sprintf("the certificate of %s could not be retrieved, so IAM falls back to thumbprint verification", host)}
	case !publiclyTrusted:
		return ThumbprintUse{true, fmt.Sprintf("the chain of %s is not publicly trusted by this machine's roots, so IAM verifies it by thumbprint", host)}
	case speaksTLS12 == nil:
		return ThumbprintUse{false, fmt.Sprintf("the chain of %s is publicly trusted by this machine's roots, but whether it speaks TLS 1.2 was not observed: if it requires TLS 1.3, IAM falls back to thumbprint verification", host)}
	case !*speaksTLS12:
		return ThumbprintUse{true, fmt.Sprintf("%s refuses TLS 1.2 (TLS 1.3 is required), so IAM falls back to thumbprint verification although its chain is publicly trusted by this machine's roots", host)}
	}
	return ThumbprintUse{false, fmt.Sprintf("the chain of %s is publicly trusted by this machine's roots and it speaks TLS 1.2, so AWS ignores the thumbprint (unconfirmed: AWS's own root library is not published)", host)}
}

// ChainOrder is IAM's rule for the certificate chain an identity provider
// sends, judged as sent (Go's TLS client builds its own path and would
// accept it): leaf first, each certificate signed by the next, no duplicate
// and no certificate outside the path; the root may be absent. Otherwise
// "you will receive a signature mismatch error and STS fails to validate the
// JSON Web Token" (IAM User Guide, Obtain the thumbprint for an OpenID
// Connect identity provider). It returns nil for a chain in order.
func ChainOrder(chain []*x509.Certificate) error {
	if len(chain) == 0 {
		return fmt.Errorf("no certificate was sent")
	}
	for i, c := range chain {
		for j := range i {
			if bytes.Equal(chain[j].Raw, c.Raw) {
				return fmt.Errorf("certificate %d (%q) is a duplicate of certificate %d", i, c.Subject.CommonName, j)
			}
		}
	}
	for i := 0; i+1 < len(chain); i++ {
		child, parent := chain[i], chain[i+1]
		if err := child.CheckSignatureFrom(parent); err != nil {
			return fmt.Errorf("certificate %d (%q, issued by %q) is not signed by certificate %d (%q), the next one sent: the chain must go leaf first, each certificate followed by its issuer",
				i, child.Subject.CommonName, child.Issuer.CommonName, i+1, parent.Subject.CommonName)
		}
	}
	return nil
}
