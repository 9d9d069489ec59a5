package tls

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "tls"

// Checks returns the HTTPS checks, in ID order.
func Checks() check.Catalog {
	all := []check.Profile{check.AWS, check.Kubernetes, check.OIDC}
	aws := []check.Profile{check.AWS}
	c := check.Catalog{
		{ID: "TLS-001", Title: "certificate chain verifies for the host name", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 9110 §4.3.4; AWS IAM: EKS does not support self-signed issuers",
			Remediation: "Serve a certificate for the host name from a trusted CA, with its intermediates (or pass --ca-file for a private CA).",
			Judge:       withHosts(judgeChain)},
		{ID: "TLS-002", Title: "TLS 1.2 or later", Severity: check.Fail, Profiles: all,
			Reference:   "AWS STS: TLS 1.2 minimum for identity providers",
			Remediation: "Enable TLS 1.2 and 1.3 on the server (and the CDN in front of it).",
			Judge:       withHosts(judgeVersion)},
		{ID: "TLS-003", Title: "certificate valid for 30 more days", Severity: check.Warn, Profiles: all,
			Reference:   "RFC 5280 §4.1.2.5",
			Remediation: "Renew the certificate (automate renewal) before it expires: an expired certificate breaks every AssumeRoleWithWebIdentity (TLS-006).",
			Requires:    []string{"TLS-006"},
			Judge:       withHosts(judgeValidity)},
		{ID: "TLS-004", Title: "IAM thumbprint of the jwks_uri host", Severity: check.Info, Profiles: aws,
			Reference: "AWS IAM: Obtain the thumbprint for an OpenID Connect identity provider",
			Remediation: "Paste the thumbprint into the provider's thumbprint_list (aws iam update-open-id-connect-provider-thumbprint). " +
				"It is of the last certificate the server sends: the top intermediate, or the leaf itself when no intermediate is sent (TLS-007).",
			Requires: []string{"DISC-007"},
			Judge:    withJWKSHost(judgeThumbprint)},
		{ID: "TLS-005", Title: "registered thumbprint matches the jwks_uri host where IAM uses it", Severity: check.Fail, Profiles: aws,
			Reference: "AWS IAM: Obtain the thumbprint for an OpenID Connect identity provider (id_roles_providers_create_oidc_verify-thumbprint.html); " +
				"IAM API: UpdateOpenIDConnectProviderThumbprint",
			Remediation: "Add the thumbprint shown by TLS-004 to the provider (aws iam update-open-id-connect-provider-thumbprint); " +
				"IAM uses it when the chain is not publicly trusted, the host refuses TLS 1.2, or the certificate cannot be retrieved.",
			Requires:  []string{"DISC-007"},
			WarnsWhen: "the chain is publicly trusted by this machine's roots and the host speaks TLS 1.2: AWS then ignores thumbprints, so a mismatch does not break STS",
			Judge:     withJWKSHost(judgeThumbprintMatch)},
		{ID: "TLS-006", Title: "certificate is valid now", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 5280 §4.1.2.5, §6.1.3",
			Remediation: "Replace the expired (or not yet valid) certificate now, and automate renewal; check the server's clock.",
			Judge:       withHosts(judgeCurrent)},
		{ID: "TLS-007", Title: "the jwks_uri host sends its intermediate certificate", Severity: check.Warn, Profiles: aws,
			Reference: "AWS IAM: Obtain the thumbprint for an OpenID Connect identity provider (\"the top intermediate CA\")",
			Remediation: "Configure the server with the full chain (leaf, then intermediates, e.g. fullchain.pem), so the thumbprint is the " +
				"intermediate's and survives renewals; then register the new thumbprint shown by TLS-004.",
			Requires: []string{"DISC-007"},
			Judge:    withJWKSHost(judgeIntermediateSent)},
		{ID: "TLS-008", Title: "certificate chain is sent in order", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Obtain the thumbprint for an OpenID Connect identity provider (chain order: \"signature mismatch error\")",
			Remediation: "Serve the leaf first, then each intermediate followed by its issuer, once each, nothing else (the root may be left out).",
			Judge:       withHosts(judgeChainOrder)},
	}
	for i := range c {
		c[i].Area = Area
	}
	return c
}
