// Package gcp is the gcp-wif relying party: Google Cloud Workload Identity
// Federation with an OIDC provider in a workload identity pool, whose
// Security Token Service exchanges the issuer's token for a federated
// access token. GCP publishes no verifier code: the rules are those of its
// documentation (../shared/VERIFIERS.md section 1), checks GCP-001..013.
// The attribute mapping and condition are CEL, evaluated with cel-go under
// a cost and time bound; the signature is verified in the probe phase
// against the key set GCP uses (the uploaded jwksJson, else the served
// JWKS), since only the probe holds the raw token.
package gcp

import (
	"crypto/x509"
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Name is the relying party's name on the command line (--for).
const Name = "gcp-wif"

// FlagProvider is the provider description file.
const FlagProvider = "gcp-provider"

// shared are the shared checks GCP enforces: the discovery document served
// at <iss>/.well-known/openid-configuration as OIDC Discovery says (its
// issuer included), a jwks_uri that is https, and a chain that verifies and
// is valid now ("Endpoints with self-signed certificates are not
// supported"); a signature algorithm (TOK-012: GCP verifies with the key
// set's public keys, so never none or HS*; GCP-003 judges its own list
// beyond it); keys that stay published and agree across replicas. Not
// STS's algorithm list, kid rule, length limit or key-count cap: GCP's own
// are GCP-003, GCP-004 and GCP-012; the JWKS itself is judged by GCP-012
// (the key set GCP verifies with, which may be the uploaded one).
var shared = []string{"DISC-001", "DISC-004", "DISC-005", "DISC-007", "TLS-001", "TLS-006", "TOK-012", "ROT-002", "ROT-004"}

// Party returns the gcp-wif relying party.
func Party() relyingparty.Party {
	return relyingparty.Party{
		Name:    Name,
		Title:   "Google Cloud Workload Identity Federation (OIDC provider in a workload identity pool)",
		Profile: check.OIDC,
		Prefix:  "GCP-",
		Checks:  Checks,
		Reads:   shared,
		Needs:   []string{"GCP-002", "GCP-003", "GCP-004", "GCP-005", "GCP-006", "GCP-007", "GCP-008", "GCP-009", "GCP-012"},
		// Warnings on rules whose behaviour GCP does not document: a
		// trailing slash, an empty kid, clock skew, nbf, a string date.
		Doubts: []string{"GCP-002", "GCP-004", "GCP-005", "GCP-006", "GCP-008", "GCP-009"},
		Inputs: []relyingparty.Input{
			{Flag: FlagProvider, File: true, Usage: "gcp-wif: the JSON gcloud iam workload-identity-pools providers describe PROVIDER --workload-identity-pool=POOL --location=global --format=json prints"},
		},
		Validate: func(in evidence.Input) error { _, err := providerOf(in); return err },
		Assumed:  assumed,
		Login:    login,
		Verifier: Verify,
	}
}

// assumed says what the run assumed: a provider without the file, and a
// public CA where the chain verified only with the run's own CA file.
func assumed(t *evidence.Target) []string {
	p, err := providerOf(t.Input)
	if err != nil {
		return nil
	}
	out := append([]string(nil), p.Assumed...)
	for _, ex := range []*evidence.Exchange{t.Discovery, t.JWKS} {
		if h := ex.Final(); h != nil && h.TLS != nil && h.TLS.Verified && !h.TLS.PubliclyTrusted {
			out = append(out, fmt.Sprintf("%s: the chain verifies only with the run's CA file; GCP has no CA setting and trusts public roots only, so that CA is assumed to be a public one", h.TLS.ServerName))
			break
		}
	}
	return out
}

// login is the principal the token federates as: the mapped google.subject.
func login(t *evidence.Target) string {
	p, err := providerOf(t.Input)
	if err != nil || t.Token == nil || t.Token.Claims == nil {
		return ""
	}
	a, err := assertionOf(t.Token.Claims)
	if err != nil {
		return ""
	}
	m, err := p.Map(ctxJudge(), a)
	if err != nil {
		return ""
	}
	sub, _ := m.Google["subject"].(string)
	if p.Name == "" {
		return fmt.Sprintf("google.subject %q", sub)
	}
	return fmt.Sprintf("principal://iam.googleapis.com/%s/subject/%s", poolOf(p.Name), sub)
}

// selfSigned reports whether der is a certificate that signs itself.
func selfSigned(der []byte) bool {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return false
	}
	// CheckSignature, not CheckSignatureFrom: a self-signed leaf is rarely
	// marked as a CA, and it is self-signed all the same.
	return string(c.RawIssuer) == string(c.RawSubject) && c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}
