package jwks

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "jwks"

// Checks returns the JWKS checks, in ID order.
func Checks() check.Catalog {
	all := []check.Profile{check.AWS, check.Kubernetes, check.OIDC}
	aws := []check.Profile{check.AWS}
	c := check.Catalog{
		{ID: "JWKS-001", Title: "jwks_uri serves the key set without redirect", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §8.5; AWS STS: redirect handling undocumented",
			Remediation: "Serve the key set with status 200 at the exact jwks_uri, under 1 MiB, with no redirect.",
			Requires:    needsFetch,
			Judge:       judgeServed},
		{ID: "JWKS-002", Title: "the answer is a JWK Set with keys", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §5",
			Remediation: "Serve one JSON object {\"keys\": [...]} with at least one key; not a bare key, not an empty list.",
			Requires:    needsFetch,
			Judge:       withAnswer(judgeSet)},
		{ID: "JWKS-003", Title: "every key parses", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §4; RFC 7518 §6 (unpadded base64url, minimum-length integers)",
			Remediation: "Encode every key with a JOSE library: all members its kty requires, base64url without padding, no leading zero bytes.",
			Requires:    needsSet,
			Judge:       withSet(judgeParses)},
		{ID: "JWKS-004", Title: "every key has a kid", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §4.5; STS picks the key by kid (\"Couldn't retrieve verification key\", amazon-eks-pod-identity-webhook#12)",
			Remediation: "Give every key a kid and put that kid in the header of the tokens it signs.",
			Requires:    needsSet,
			Judge:       withSet(judgeKIDPresent)},
		{ID: "JWKS-005", Title: "kids are unique", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §4.5",
			Remediation: "Give each key its own kid, e.g. the RFC 7638 thumbprint, as kube-apiserver does.",
			Requires:    needsSet,
			Judge:       withSet(judgeKIDUnique)},
		{ID: "JWKS-006", Title: "no private or symmetric key material", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §9.2; RFC 7518 §6.2.2, §6.3.2, §6.4",
			Remediation: "Revoke and replace the exposed key; publish only the public members (kty, n, e or crv, x, y).",
			Requires:    needsSet,
			Judge:       withSet(judgePublicOnly)},
		{ID: "JWKS-007", Title: "RSA keys of 2048 to 16384 bits", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7518 §3.3 (2048 bits or larger MUST); NIST SP 800-131A; Go crypto/x509 and JOSE libraries refuse moduli over 16384 bits",
			Remediation: "Rotate to a 2048-bit (or larger, at most 16384-bit) RSA key with exponent 65537.",
			Requires:    needsSet,
			Judge:       withSet(judgeStrength)},
		{ID: "JWKS-008", Title: "key types and algorithms are accepted and consistent", Severity: check.Fail, Profiles: all,
			Reference:   "AWS STS AssumeRoleWithWebIdentity (RS256/384/512, ES256/384/512); RFC 7518 §3, §6; kube-apiserver openidmetadata.go",
			Remediation: "Sign with RSA (RS256) or EC P-256/384/521 (ES256/384/512) keys, and set each key's alg to match its type and curve.",
			Requires:    needsSet,
			Judge:       withSet(judgeAlgorithms)},
		{ID: "JWKS-009", Title: "every key says use sig", Severity: check.Warn, Profiles: all,
			Reference:   "RFC 7517 §4.2; some verifiers (Azure, SPIRE) require use",
			Remediation: "Set \"use\": \"sig\" on every key.",
			Requires:    []string{"JWKS-002", "JWKS-015"},
			Judge:       withSet(judgeUse)},
		{ID: "JWKS-010", Title: "at most 100 RSA and 100 EC keys", Severity: check.Warn, Profiles: aws,
			Reference:   "AWS IAM: Create an OpenID Connect (OIDC) identity provider (\"a maximum of 100 RSA keys and 100 EC keys\"); STS's refusal at exchange time is observed, unconfirmed (spiffe/spire#4699)",
			Remediation: "Remove keys that no longer sign valid tokens; keep the current key, the next one and those of unexpired tokens.",
			Requires:    needsSet,
			Judge:       withSet(judgeCount)},
		{ID: "JWKS-011", Title: "x5c and x5t match the key", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §4.7-4.9",
			Remediation: "Publish x5c only for the key it certifies (leaf first, standard base64), and compute x5t/x5t#S256 over x5c[0]; or drop them.",
			Requires:    needsSet,
			Judge:       withSet(judgeX5C)},
		{ID: "JWKS-012", Title: "Cache-Control max-age is set", Severity: check.Warn, Profiles: all,
			Reference:   "EKS: \"Respect the cache-control header\" (EKS serves max-age=604800, kube-apiserver max-age=3600)",
			Remediation: "Send Cache-Control: max-age=N with N shorter than the time a new key is published before it signs (e.g. 3600).",
			Requires:    needsFetch,
			Judge:       withAnswer(judgeCacheControl)},
		{ID: "JWKS-013", Title: "the key set's Content-Type is JSON", Severity: check.Warn, Profiles: all,
			Reference:   "RFC 7517 §8.5.1 (application/jwk-set+json); RFC 8259 (application/json)",
			Remediation: "Serve the key set as application/json or application/jwk-set+json (for S3: --content-type application/json when uploading).",
			Requires:    needsFetch,
			Judge:       withAnswer(judgeContentType)},
		{ID: "JWKS-014", Title: "RSA public exponent is 65537", Severity: check.Warn, Profiles: all,
			Reference:   "NIST SP 800-89 §5.3.3; RFC 8017 §3.1 (small exponents are legal, and a classic source of attacks)",
			Remediation: "Generate RSA keys with exponent 65537 (every JOSE library's default).",
			Requires:    needsSet,
			Judge:       withSet(judgeExponent)},
		{ID: "JWKS-015", Title: "the key set holds signing keys only", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §4.2; OpenID Connect Discovery 1.0 §3 (jwks_uri: use REQUIRED on every key when encryption keys are published)",
			Remediation: "Remove encryption keys (use enc) from the issuer's key set; a generic OpenID provider that keeps them must set use on every key.",
			Requires:    needsSet,
			Judge:       withSet(judgeSigningOnly)},
	}
	for i := range c {
		c[i].Area = Area
	}
	return c
}
