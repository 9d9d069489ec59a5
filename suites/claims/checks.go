package claims

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "claims"

var all = []check.Profile{check.AWS, check.Kubernetes, check.OIDC}

// Checks returns the token checks, in ID order.
func Checks() check.Catalog {
	c := check.Catalog{
		{ID: "TOK-001", Title: "token is a compact JWS (not a JWE)", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7515 §7.1; RFC 7519 §7.2 (a JWT is a JWS or a JWE; a relying party verifying a signature needs the JWS)",
			Remediation: "Issue the token as header.claims.signature, each part unpadded base64url of a JSON object (the signature of the bytes).",
			RootOf:      rootOfShape, Judge: judgeShape},
		{ID: "TOK-002", Title: "header alg is one STS accepts", Severity: check.Fail, Profiles: []check.Profile{check.AWS},
			Reference:   "AWS STS AssumeRoleWithWebIdentity and IAM User Guide (RS256, RS384, RS512, ES256, ES384, ES512: no PS*, no EdDSA)",
			Remediation: "Sign with an RSA or EC key as RS256 (or RS384, RS512, ES256, ES384, ES512).",
			Requires:    []string{"TOK-001", "TOK-012"},
			Judge:       judgeAlg},
		{ID: "TOK-003", Title: "header kid is published in the JWKS (no kid: unconfirmed, a warning)", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7515 §4.1.4; AWS STS picks the key by exact kid, \"\" included (\"Couldn't retrieve verification key\", amazon-eks-pod-identity-webhook#9 and #12)",
			Remediation: "Put the signing key's kid in every token header and publish that key, with the same kid, in the JWKS before signing with it.",
			Requires:    []string{"TOK-001", "JWKS-002"},
			WarnsWhen:   "the header has no kid: what STS does with such a token is unconfirmed AWS behaviour",
			Judge:       judgeKid},
		{ID: "TOK-004", Title: "signature verifies with the published key's public numbers (the STS model and go-oidc agree)", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7515 §5.2; RFC 7518 §3",
			Remediation: "Sign with the private key of the published key that has the token's kid, with the header alg matching that key; re-publish the JWKS if the key changed.",
			Requires:    []string{"TOK-001", "TOK-012", "TOK-003"},
			Judge:       judgeSignature},
		{ID: "TOK-005", Title: "iss equals the issuer", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7519 §4.1.1; OpenID Connect Core 1.0 §3.1.3.7; AWS IAM matches iss to the provider URL exactly",
			Remediation: "Make iss exactly the issuer URL, byte for byte, trailing slash included, the same string as the discovery document's issuer.",
			Requires:    []string{"TOK-001"},
			Judge:       judgeIssuer},
		{ID: "TOK-006", Title: "aud contains the expected audience", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7519 §4.1.3; AWS STS (\"Incorrect token audience\", \"Missing a required claim: aud\")",
			Remediation: "Issue the token for the audience registered as a client ID on the IAM provider (sts.amazonaws.com for IRSA: the projected token's audience).",
			Requires:    []string{"TOK-001"},
			Judge:       judgeAudience},
		{ID: "TOK-007", Title: "sub is present, 1..255 characters, and a service account on Kubernetes", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7519 §4.1.2; AWS STS (\"Missing a required claim: sub\"); Kubernetes service-account tokens (system:serviceaccount:<namespace>:<name>)",
			Remediation: "Put a non-empty sub of at most 255 characters; for Kubernetes, system:serviceaccount:<namespace>:<name> matching the kubernetes.io claims.",
			Requires:    []string{"TOK-001"},
			WarnsWhen:   "sub is at most 255 characters but over 255 bytes: whether STS counts bytes is unconfirmed AWS behaviour",
			Judge:       judgeSubject},
		{ID: "TOK-008", Title: "exp, iat and nbf are integer seconds", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7519 §2 (NumericDate) and §4.1.4-6; AWS STS: \"formatted as either an integer or a long integer\"",
			Remediation: "Write exp and iat (and nbf) as JSON integers of seconds since the epoch: not strings, not fractions, not milliseconds.",
			Requires:    []string{"TOK-001"},
			WarnsWhen:   "a time is an integer of milliseconds: STS reads it as seconds and accepts it, a date thousands of years ahead",
			Judge:       judgeNumericDates},
		{ID: "TOK-009", Title: "token is valid now (not expired, not issued in the future)", Severity: check.Fail, Profiles: all,
			Reference: "RFC 7519 §4.1.4-6; AWS STS ExpiredTokenException (\"Token expired: current date/time ... must be before the expiration date/time ...\"); " +
				"IAM User Guide, id_roles_providers_oidc (\"a five-minute window beyond the expiration time\")",
			Remediation: "Use a fresh token, and keep the issuer's clock in sync (NTP): iat and nbf must not be ahead of real time.",
			Requires:    []string{"TOK-008"},
			WarnsWhen:   "the token expired less than five minutes ago: IAM's window after exp still accepts it",
			Judge:       judgeValidNow},
		{ID: "TOK-010", Title: "token lifetime is at most the maximum (24 h by default)", Severity: check.Warn, Profiles: all,
			Reference:   "EKS projected service-account tokens (exp = iat + 86400); AWS STS has rejected old tokens (\"Token too old\")",
			Remediation: "Issue tokens that live at most 24 hours (set --max-token-lifetime if your policy allows longer) and rotate them before they expire.",
			Requires:    []string{"TOK-008"},
			Judge:       judgeLifetime},
		{ID: "TOK-011", Title: "single aud, and no azp other than it", Severity: check.Warn, Profiles: all,
			Reference:   "OpenID Connect Core 1.0 §2 (aud, azp); AWS IAM condition keys for OIDC federation (:aud, :azp, :oaud)",
			Remediation: "Issue tokens for a single audience without azp, or write the trust policy's :aud condition for the value STS puts there (ForAnyValue: for several).",
			Requires:    []string{"TOK-006"},
			Judge:       judgeAudienceShape},
		{ID: "TOK-012", Title: "header alg is a signature algorithm (not none, not HS*)", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7518 §3.1; RFC 8037; OpenID Connect Core 1.0 §2 (an ID Token MUST be signed; none only where no ID Token comes from the authorization endpoint), §10.1 (HS* uses the client secret, not a published key); RFC 8725 §3.1",
			Remediation: "Sign with an asymmetric key published in the JWKS (RS256 is the one every relying party takes); never issue unsigned (none) or HMAC (HS*) tokens.",
			Judge:       judgeSigningAlg},
		{ID: "TOK-013", Title: "token is within STS's length limit (4..20000 characters)", Severity: check.Fail, Profiles: []check.Profile{check.AWS},
			Reference:   "AWS STS AssumeRoleWithWebIdentity (WebIdentityToken: length 4..20000, a ValidationError otherwise)",
			Remediation: "Keep the token at most 20000 characters: fewer or shorter claims (groups, session tags), a smaller key (an RS256 signature is 342 characters, ES256 86).",
			Requires:    []string{"TOK-001"},
			Judge:       judgeLength},
	}
	for i := range c {
		c[i].Area = Area
	}
	return c
}
