package vault

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "vault"

// Sources of the rules: the plugin at the commit read, and cap's jwt package
// at the version the harness runs.
const (
	plugin = "hashicorp/vault-plugin-auth-jwt@2e68bba "
	capSrc = "hashicorp/cap v0.16.0 jwt/"
	docs   = "; Vault API docs: JWT/OIDC auth method (website/content/api-docs/auth/jwt.mdx)"
)

// Checks returns the vault-jwt checks, in ID order.
func Checks() check.Catalog {
	// Judged whenever the relying party is asked for: its profile is oidc.
	profiles := []check.Profile{check.OIDC}
	c := check.Catalog{
		{ID: "VLT-001", Title: "discovery issuer equals oidc_discovery_url, byte for byte", Severity: check.Fail,
			Reference:   plugin + "path_config.go (pathConfigWrite: \"error checking oidc discovery URL\"); " + capSrc + "keyset.go NewOIDCDiscoveryKeySet (\"issuer did not match the returned issuer\")" + docs,
			Remediation: "Set oidc_discovery_url to exactly the discovery document's issuer (trailing slash included, no .well-known): Vault refuses to write the config otherwise, and a config written before the issuer changed fails every login.",
			Requires:    []string{"DISC-001", "DISC-004"}, Judge: judgeDiscoveryIssuer},
		{ID: "VLT-002", Title: "token alg is in jwt_supported_algs (default RS, ES, PS 256..512 and EdDSA)", Severity: check.Fail,
			Reference:   plugin + "path_login.go (the default list for jwt logins); " + capSrc + "jwt.go validateSigningAlgorithm",
			Remediation: "Sign with an algorithm of the config's jwt_supported_algs, or add the token's alg there (RS/ES/PS 256..512, EdDSA).",
			Requires:    []string{"TOK-012"},
			Judge:       judgeAlg},
		{ID: "VLT-003", Title: "iss equals bound_issuer, when the config sets one", Severity: check.Fail,
			Reference:   capSrc + "jwt.go (Expected.Issuer: \"invalid issuer (iss) claim\"); " + plugin + "path_login.go (Issuer: config.BoundIssuer)",
			Remediation: "Issue tokens whose iss is exactly the config's bound_issuer, or correct bound_issuer (Vault checks iss only when it is set).",
			Judge:       judgeIssuer},
		{ID: "VLT-004", Title: "aud holds one of the role's bound_audiences", Severity: check.Fail,
			Reference:   capSrc + "jwt.go validateAudience (\"invalid audience (aud) claim: audience claim does not match any expected audience\")",
			Remediation: "Issue the token for one of the role's bound_audiences, or add its aud there.",
			Judge:       judgeAudience},
		{ID: "VLT-005", Title: "no aud when the role binds no audience", Severity: check.Fail,
			Reference:   plugin + "path_login.go (\"audience claim found in JWT but no audiences bound to the role\")",
			Remediation: "Bind the token's audience in the role's bound_audiences (Vault refuses a token with an aud a role does not bind), or issue tokens without aud.",
			Judge:       judgeUnboundAudience},
		{ID: "VLT-006", Title: "sub equals bound_subject, when the role sets one", Severity: check.Fail,
			Reference:   capSrc + "jwt.go (Expected.Subject: \"invalid subject (sub) claim\"); " + plugin + "path_login.go (Subject: role.BoundSubject)",
			Remediation: "Issue the token for the role's bound_subject exactly, or correct bound_subject (no wildcards: use bound_claims with bound_claims_type glob).",
			Judge:       judgeSubject},
		{ID: "VLT-007", Title: "the token has iat, nbf or exp", Severity: check.Fail,
			Reference:   capSrc + "jwt.go (\"no issued at (iat), not before (nbf), or expiration time (exp) claims in token\")",
			Remediation: "Put iat and exp (at least one of iat, nbf, exp) in every token.",
			Judge:       judgeHasTimes},
		{ID: "VLT-008", Title: "nbf, exp and iat hold at the probe time within clock_skew_leeway (60 s by default)", Severity: check.Fail,
			Reference:   capSrc + "jwt.go validateAll (clock skew on nbf, exp and iat; expiration_leeway and not_before_leeway only make up a missing exp or nbf); " + plugin + "path_role.go (clock_skew_leeway 0 = 60 s, -1 none)",
			Remediation: "Keep the issuer's clock in sync (iat and nbf no more than clock_skew_leeway ahead) and use tokens before exp; widen clock_skew_leeway on the role if the clocks cannot agree.",
			Requires:    []string{"VLT-007"}, Judge: judgeTimes},
		{ID: "VLT-009", Title: "the user_claim is present and a string", Severity: check.Fail,
			Reference:   plugin + "path_login.go createIdentity (\"claim %q not found in token\", \"could not be converted to string\")",
			Remediation: "Put the claim the role's user_claim names in every token, as a string, or set user_claim to a claim the token has.",
			Judge:       judgeUser},
		{ID: "VLT-010", Title: "the groups_claim and the claim_mappings claims are strings (groups: a list of strings)", Severity: check.Fail,
			Reference:   plugin + "path_login.go createIdentity and claims.go extractMetadata (\"claim could not be converted to string list\", \"error converting claim\")",
			Remediation: "Issue the groups claim as a string or a list of strings and every mapped claim as a string, or change groups_claim or claim_mappings.",
			Judge:       judgeIdentity},
		{ID: "VLT-011", Title: "bound_claims hold (bound_claims_type string or glob)", Severity: check.Fail,
			Reference:   plugin + "claims.go validateBoundClaims (JSON pointers, list any-match, globs by ryanuber/go-glob)",
			Remediation: "Issue every claim the role's bound_claims names with one of its values (a glob with bound_claims_type glob), or correct bound_claims.",
			Judge:       judgeBoundClaims},
		{ID: "VLT-012", Title: "Vault's own validator (cap/jwt) accepts the token (keys, signature)", Severity: check.Fail,
			Reference:   capSrc + "jwt.go Validator.Validate and keyset.go, built as " + plugin + "backend.go jwtValidator and path_login.go build it; run in-process on the probed documents",
			Remediation: "Read Vault's error: the key set does not decode for go-jose or holds no key that verifies the signature (\"error verifying token signature\").",
			Requires:    []string{"VLT-013", "VLT-001", "VLT-002", "VLT-003", "VLT-004", "VLT-005", "VLT-006", "VLT-007", "VLT-008", "VLT-009", "VLT-010", "VLT-011"},
			Judge:       judgeValidator},
		{ID: "VLT-013", Title: "the issuer's TLS chain verifies against oidc_discovery_ca_pem / jwks_ca_pem (or the host's roots)", Severity: check.Fail,
			Reference:   capSrc + "keyset.go createCAContext (the CA PEM is the only root pool; without it the host's roots); Vault does not require https",
			Remediation: "Put the CA that issues the issuer's certificate in oidc_discovery_ca_pem (jwks_ca_pem with jwks_url), or serve a publicly trusted chain.",
			Requires:    []string{"TLS-001", "TLS-006"}, Judge: judgeCA},
	}
	for i := range c {
		c[i].Area = Area
		c[i].Profiles = profiles
	}
	return c
}
