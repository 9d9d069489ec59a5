package azure

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "azure"

// Sources of the rules (MicrosoftDocs/entra-docs, docs/workload-id/).
const (
	considerations = "Entra: federated-credential-configuration-considerations.md"
	wif            = "Entra: workload-identity-federation.md"
	caseChange     = "Entra breaking changes, \"Federated Identity Credentials now use case-sensitive matching\""
	unconfirmed    = "unconfirmed: "
)

// Checks returns the azure-wif checks, in ID order.
func Checks() check.Catalog {
	// Judged whenever the relying party is asked for: its profile is oidc,
	// kubernetes under --profile kubernetes (as the EKS and Kubernetes
	// parties).
	profiles := []check.Profile{check.Kubernetes, check.OIDC}
	c := check.Catalog{
		{ID: "AZR-001", Title: "iss equals a federated identity credential's issuer exactly", Severity: check.Fail,
			Reference: considerations + " (issuer, at most 600 characters; no leading or trailing whitespace in iss); " + caseChange +
				"; Azure/azure-workload-identity troubleshooting.md (a missing trailing / is the most common AADSTS70021); AADSTS700211/70021",
			Remediation: "Set the credential's issuer to exactly the token's iss: same case, the trailing slash if iss has one, no whitespace (az identity federated-credential update --issuer).",
			Judge:       judgeIssuer},
		{ID: "AZR-002", Title: "sub equals that credential's subject exactly (no wildcards)", Severity: check.Fail,
			Reference:   considerations + " (subject, at most 600 characters; wildcards are not supported); " + caseChange + "; AADSTS700213, 7002138 (case), 7002137",
			Remediation: "Set the credential's subject to exactly the token's sub, case included (for Kubernetes system:serviceaccount:<namespace>:<name>); add one credential per subject, as * matches nothing.",
			Requires:    []string{"AZR-001"}, Judge: judgeSubject},
		{ID: "AZR-003", Title: "aud holds the credential's one audience", Severity: check.Fail,
			Reference:   considerations + " (audiences: exactly one, api://AzureADTokenExchange recommended); " + caseChange + "; AADSTS700212",
			Remediation: "Request the token for the credential's audience (Kubernetes: a projected token with audience api://AzureADTokenExchange), or set the credential's audience to the token's.",
			WarnsWhen:   "aud holds the credential's audience among other values: whether Entra accepts a token with several audiences is unconfirmed",
			Requires:    []string{"AZR-002"}, Judge: judgeAudience},
		{ID: "AZR-004", Title: "iat is present and exp - iat is at most 25 h (1.01:00:00)", Severity: check.Fail,
			Reference:   "Entra AADSTS70023 \"External OIDC Provider token must have a lifetime of less than or equal to 1.01:00:00\" (MicrosoftDocs/azure-docs#86915, #86916; Azure/azure-sdk-for-python#32124); without iat, \"Token issued at 0\"",
			Remediation: "Issue tokens with iat that live at most 25 hours (Kubernetes: a projected token, expirationSeconds at most 90000; not a legacy secret-based token).",
			WarnsWhen:   "iat or exp is not integer seconds: how Entra reads it is unconfirmed",
			Judge:       judgeLifetime},
		{ID: "AZR-005", Title: "token is within its valid time range", Severity: check.Fail,
			Reference:   "Entra AADSTS700024 \"Client assertion is not within its valid time range\" (Azure/login#180); clock skew " + unconfirmed + "modelled as Microsoft.IdentityModel's default 5 minutes",
			Remediation: "Exchange a fresh token, and keep the issuer's clock in sync (NTP) so nbf and iat are not ahead.",
			WarnsWhen:   "the token expired less than 5 minutes before the probe, its nbf is 1 to 5 minutes ahead, its iat more than 5 minutes, it has no exp, or a time is not integer seconds: Entra's clock skew and its handling of these are unconfirmed",
			Judge:       judgeValidity},
		{ID: "AZR-006", Title: "token alg is RS256 (the only algorithm Entra supports)", Severity: check.Fail,
			Reference:   considerations + " (only RS256 is supported; other algorithms may work but have not been tested)",
			Remediation: "Sign the tokens Entra exchanges with an RSA key as RS256.",
			WarnsWhen:   "alg is an asymmetric algorithm other than RS256: untested by Microsoft, so whether Entra accepts it is unconfirmed",
			Requires:    []string{"TOK-012"},
			Judge:       judgeAlg},
		{ID: "AZR-007", Title: "the signing key is among the first 100 keys of the JWKS", Severity: check.Fail,
			Reference:   wif + " (Entra stores only the first 100 signing keys it downloads); AADSTS7000272 (Azure/azure-workload-identity#1232)",
			Remediation: "Publish the signing key with the token's kid among the first 100 keys of the key set: remove retired keys, and put the current and next keys first.",
			WarnsWhen:   "the token has no kid, its kid names several keys, or the key set is reached through a redirect: what Entra does then is unconfirmed",
			Requires:    []string{"JWKS-002"}, Judge: judgeKeyPosition},
		{ID: "AZR-008", Title: "the JWKS publishes at most 100 keys", Severity: check.Warn,
			Reference:   wif + " (\"If the external IdP exposes more than 100 signing keys, you may experience errors\")",
			Remediation: "Keep at most 100 keys published: a new key beyond the 100th is never seen by Entra.",
			Requires:    []string{"JWKS-002"}, Judge: judgeKeyCount},
		{ID: "AZR-009", Title: "issuer and jwks_uri are https", Severity: check.Warn,
			Reference:   unconfirmed + "Entra does not say whether it fetches discovery or keys over plain http; every documented issuer is https (VERIFIERS.md §2)",
			Remediation: "Serve discovery and the key set over https with a publicly trusted certificate.",
			Requires:    []string{"DISC-001", "DISC-004"}, Judge: judgeHTTPS},
		{ID: "AZR-010", Title: "discovery issuer equals the credential's issuer", Severity: check.Warn,
			Reference:   unconfirmed + wif + " (Entra validates the token against the issuer's discovery document; whether it compares the document's issuer is undocumented)",
			Remediation: "Serve a discovery document whose issuer is exactly the tokens' iss and the credential's issuer.",
			Requires:    []string{"DISC-001", "DISC-004", "AZR-001"}, Judge: judgeDiscoveryIssuer},
	}
	for i := range c {
		c[i].Area = Area
		c[i].Profiles = profiles
	}
	return c
}
