package gcp

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "gcp"

// Sources of the rules (../shared/VERIFIERS.md section 1).
const (
	refProvider = "GCP IAM REST reference: projects.locations.workloadIdentityPools.providers"
	refSTS      = "GCP STS token API, subjectToken (googleapis google-api-go-client sts/v1/sts-api.json)"
	refPrereq   = "GCP IAM: Configure Workload Identity Federation with other identity providers (prerequisites)"
	refAuth     = "google-github-actions/auth docs/TROUBLESHOOTING.md"
)

// Checks returns the gcp-wif checks, in ID order.
func Checks() check.Catalog {
	c := check.Catalog{
		{ID: "GCP-001", Title: "issuerUri is https and the issuer's chains are not self-signed", Severity: check.Fail,
			Reference:   refProvider + " (Oidc.issuerUri \"Must be an HTTPS endpoint\"); " + refPrereq + " (TLS, publicly accessible, \"self-signed certificates are not supported\")",
			Remediation: "Serve the issuer over https with a certificate from a public CA, and set issuerUri to that https URL.",
			Requires:    []string{"TLS-001"}, Judge: judgeTransport},
		{ID: "GCP-002", Title: "iss matches the provider's issuerUri (trailing slash: unconfirmed, a warning)", Severity: check.Fail,
			Reference:   refSTS + " (iss); " + refAuth + " (\"The issuer in ID Token ... does not match the expected ones\"); trailing-slash normalisation unconfirmed",
			Remediation: "Set oidc.issuerUri to exactly the tokens' iss (trailing slash included), or issue tokens with that iss.",
			WarnsWhen:   "iss and issuerUri differ only by a trailing slash, which GCP may normalise (unconfirmed)",
			Requires:    []string{"GCP-001"}, Judge: judgeIssuer},
		{ID: "GCP-003", Title: "token alg is RS256 or ES256", Severity: check.Fail,
			Reference:   refSTS + " (\"alg must be RS256 or ES256\")",
			Remediation: "Sign the tokens GCP exchanges with RS256 (RSA) or ES256 (P-256): GCP refuses every other algorithm, ES384 and PS256 included.",
			Requires:    []string{"TOK-012"},
			Judge:       judgeAlg},
		{ID: "GCP-004", Title: "token header has a kid", Severity: check.Fail,
			Reference:   refSTS + " (required header fields kid and alg); an empty kid is unconfirmed, a warning",
			Remediation: "Put the signing key's kid in every token header (kube-apiserver and most issuers do).",
			WarnsWhen:   "the kid is the empty string: present, but whether GCP takes \"\" is unconfirmed",
			Judge:       judgeKid},
		{ID: "GCP-005", Title: "iat is in the past and exp is less than 48 hours after it", Severity: check.Fail,
			Reference:   refSTS + " (iat must be in the past; exp must be less than 48 hours after iat); clock skew unconfirmed; RFC 7519 §4.1.6",
			Remediation: "Issue tokens with iat the issue time (keep the issuer's clock in sync) and a lifetime under 48 hours (under 6 hours is GCP's advice).",
			WarnsWhen:   "iat is ahead by at most 5 minutes (a skew GCP may allow, unconfirmed), or iat or exp is a string (GCP's parsing unconfirmed)",
			Judge:       judgeLifetime},
		{ID: "GCP-006", Title: "token is not expired", Severity: check.Fail,
			Reference:   refSTS + " (exp); RFC 7519 §4.1.4-5 (a leeway of a few minutes at most); GCP's skew and its nbf handling are unconfirmed",
			Remediation: "Exchange a fresh token: GCP refuses an expired one.",
			WarnsWhen:   "exp passed at most 5 minutes ago (GCP's clock skew is unconfirmed), or nbf is ahead (whether GCP checks nbf is unconfirmed)",
			Judge:       judgeExpiry},
		{ID: "GCP-007", Title: "aud is one of allowedAudiences (none: the provider's full resource name)", Severity: check.Fail,
			Reference:   refProvider + " (Oidc.allowedAudiences: at most 10, each at most 256 characters; empty: //iam.googleapis.com/<provider name>, with or without https:)",
			Remediation: "Request the token for one of the provider's allowedAudiences, or add its aud there; with none, the aud must be //iam.googleapis.com/projects/<NUMBER>/locations/global/workloadIdentityPools/<pool>/providers/<provider>.",
			Judge:       judgeAudience},
		{ID: "GCP-008", Title: "the attribute mapping evaluates, google.subject within 127 bytes", Severity: check.Fail,
			Reference:   refProvider + " (attributeMapping: google.subject required, at most 127 bytes; all attributes at most 8 KB); " + refAuth + " (\"The size of mapped attribute exceeds the 127 bytes limit.\")",
			Remediation: "Map google.subject to a claim of at most 127 bytes (e.g. assertion.sub, or a shorter claim), and make every mapping evaluate to a string on the tokens.",
			WarnsWhen:   "the harness's own CEL cost or time bound stops the mapping: GCP's evaluation limits are unpublished",
			Judge:       judgeMapping},
		{ID: "GCP-009", Title: "the attribute condition admits the token", Severity: check.Fail,
			Reference:   refProvider + " (attributeCondition, CEL over assertion, google and attribute); circleci/circleci-docs#8541 (\"The given credential is rejected by the attribute condition.\")",
			Remediation: "Issue the claims the attributeCondition requires, or correct the condition so it is true for the tokens it should admit.",
			WarnsWhen:   "the harness's own CEL cost or time bound stops the condition: GCP's evaluation limits are unpublished",
			Requires:    []string{"GCP-008"}, Judge: judgeCondition},
		{ID: "GCP-010", Title: "the uploaded jwksJson holds only what GCP accepts", Severity: check.Fail,
			Reference:   refProvider + " (Oidc.jwksJson: RSA or EC keys, members kty, alg, use sig, kid, n, e, x, y, crv only)",
			Remediation: "Upload a key set of RSA or EC public keys with only the members kty, alg, use (sig), kid, n, e, x, y and crv (drop x5c, x5t and the like).",
			Judge:       judgeUploaded},
		{ID: "GCP-011", Title: "the served JWKS could be uploaded as jwksJson (for an issuer that cannot be public)", Severity: check.Warn,
			Reference:   refProvider + " (Oidc.jwksJson members); gcloud ... providers create-oidc --jwk-json-path",
			Remediation: "Publish keys with only kty, alg, use sig, kid and the public numbers, so the same set can be uploaded if the issuer has to be private.",
			Requires:    []string{"JWKS-002", "JWKS-006"}, Judge: judgeServedUploadable},
		{ID: "GCP-012", Title: "the signature verifies with the key of the token's kid in the key set GCP uses", Severity: check.Fail,
			Reference:   refProvider + " (Oidc.jwksJson: when set GCP verifies with it, else with the jwks_uri of discovery); " + refSTS,
			Remediation: "Publish (or upload as jwksJson) the public key that signs the tokens, under the kid of their header.",
			Requires:    []string{"GCP-003", "GCP-004", "GCP-010"}, Judge: judgeSignature},
		{ID: "GCP-013", Title: "the provider is enabled", Severity: check.Fail,
			Reference:   refProvider + " (state, disabled); google-github-actions/auth#333 (invalid_target: the pool or provider is disabled or deleted)",
			Remediation: "Enable (or undelete) the workload identity pool provider: gcloud iam workload-identity-pools providers undelete/update --no-disabled.",
			Judge:       judgeEnabled},
	}
	for i := range c {
		c[i].Area = Area
		c[i].Profiles = []check.Profile{check.Kubernetes, check.OIDC}
	}
	return c
}
