package discovery

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "discovery"

var all = []check.Profile{check.AWS, check.Kubernetes, check.OIDC}

// Checks returns the discovery checks, in ID order.
func Checks() check.Catalog {
	c := check.Catalog{
		{ID: "DISC-001", Title: "discovery document is served", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §4",
			Remediation: "Serve the document with status 200 at <issuer>/.well-known/openid-configuration (for an issuer with a path, append to the path).",
			Judge:       judgeServed},
		{ID: "DISC-002", Title: "discovery is served without a redirect", Severity: check.Warn, Profiles: all,
			Reference:   "AWS STS: redirect handling undocumented; S3/CloudFront PermanentRedirect broke real issuers",
			Remediation: "Serve the document at the exact URL: use the bucket's regional endpoint or fix the CDN origin so no redirect is needed.",
			Requires:    needsAnswer,
			Judge:       withAnswer(judgeNoRedirect)},
		{ID: "DISC-003", Title: "discovery Content-Type is application/json", Severity: check.Warn, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §4.2",
			Remediation: "Set Content-Type: application/json on the document (for S3: --content-type application/json when uploading).",
			Requires:    needsAnswer,
			Judge:       withAnswer(judgeContentType)},
		{ID: "DISC-004", Title: "discovery body is one JSON object within the size cap", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §4.2",
			Remediation: "Serve exactly one JSON object, under 1 MiB, with nothing before or after it.",
			Requires:    needsAnswer,
			Judge:       withAnswer(judgeJSONObject)},
		{ID: "DISC-005", Title: "issuer equals the probed issuer URL", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §4.3; AWS IAM matches iss exactly",
			Remediation: "Make the document's issuer exactly the URL clients use, byte for byte, trailing slash included; the token's iss must be the same string.",
			Requires:    needsDocument,
			Judge:       withDocument(judgeIssuerEquals)},
		{ID: "DISC-006", Title: "issuer URL is https with a host and no query, fragment or userinfo", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §3; AWS IAM: Create an OIDC identity provider",
			Remediation: "Use an https:// issuer URL of at most 255 characters with no query, fragment or userinfo.",
			Judge:       judgeIssuerURL},
		{ID: "DISC-007", Title: "jwks_uri is an absolute https URL", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §3 (jwks_uri REQUIRED)",
			Remediation: "Set jwks_uri to the absolute https:// URL of the key set.",
			Requires:    needsDocument,
			Judge:       withDocument(judgeJWKSURI)},
		{ID: "DISC-008", Title: "response_types_supported is present", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §3 (REQUIRED); kube-apiserver and EKS serve [\"id_token\"]",
			Remediation: "Add \"response_types_supported\": [\"id_token\"].",
			Requires:    needsDocument,
			Judge:       requiredList("response_types_supported")},
		{ID: "DISC-009", Title: "subject_types_supported is present", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §3 (REQUIRED)",
			Remediation: "Add \"subject_types_supported\": [\"public\"].",
			Requires:    needsDocument,
			Judge:       requiredList("subject_types_supported")},
		{ID: "DISC-010", Title: "signing algorithms include one STS accepts and never none", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §3; AWS STS AssumeRoleWithWebIdentity (RS256/384/512, ES256/384/512)",
			Remediation: "List the algorithms your keys sign with, e.g. \"id_token_signing_alg_values_supported\": [\"RS256\"]; never list none.",
			Requires:    needsDocument,
			Judge:       withDocument(judgeAlgorithms)},
		{ID: "DISC-011", Title: "advertised algorithms match the keys", Severity: check.Warn, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §3; RFC 7517 §4.4",
			Remediation: "Advertise exactly the algorithms of the published keys (kube-apiserver derives the list from its keys).",
			Requires:    []string{"DISC-010", "JWKS-002"},
			Judge:       withDocument(judgeAlgorithmsMatchKeys)},
		{ID: "DISC-012", Title: "discovery answers within 1 s", Severity: check.Warn, Profiles: all,
			Reference:   "AWS STS: requests fail on identity-provider latency of more than 5 seconds",
			Remediation: "Serve the document from a static, cached location (S3, CloudFront) close to the AWS region.",
			Requires:    []string{"DISC-001", "DISC-015"},
			Judge:       withAnswer(judgeLatency)},
		{ID: "DISC-013", Title: "no discovery member looks like a misspelled standard one", Severity: check.Warn, Profiles: all,
			Reference:   "OpenID Connect Discovery 1.0 §3; RFC 8414 §2; IANA OAuth Authorization Server Metadata registry",
			Remediation: "Fix the spelling of members that look like standard ones: clients ignore unknown members, so the misspelled one is missing to them.",
			Requires:    needsDocument,
			Judge:       withDocument(judgeMembers)},
		{ID: "DISC-014", Title: "issuer URL has no port", Severity: check.Warn, Profiles: []check.Profile{check.AWS},
			Reference:   "AWS IAM: Create an OIDC identity provider (\"the URL should not contain a port number\")",
			Remediation: "Serve the issuer on the default https port 443 and drop the port from the issuer URL (and from iss).",
			Requires:    []string{"DISC-006"},
			Judge:       judgeIssuerPort},
		{ID: "DISC-015", Title: "discovery answers within STS's 5 s", Severity: check.Fail, Profiles: all,
			Reference:   "AWS STS: requests fail on identity-provider latency of more than 5 seconds",
			Remediation: "Serve the document from a static, cached location (S3, CloudFront) close to the AWS region; STS gives up after 5 seconds.",
			Requires:    needsAnswer,
			Judge:       withAnswer(judgeSTSLatency)},
	}
	for i := range c {
		c[i].Area = Area
	}
	return c
}
