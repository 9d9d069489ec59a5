package kubernetes

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "kubernetes"

// ref is the source of the authenticator's rules.
const ref = "k8s.io/apiserver plugin/pkg/authenticator/token/oidc (v0.37); KEP-3331 structured authentication configuration"

// Checks returns the kubernetes-jwt checks, in ID order.
func Checks() check.Catalog {
	// Judged whenever the relying party is asked for: its profile is oidc
	// (an identity provider's tokens), kubernetes under --profile kubernetes.
	k8s := []check.Profile{check.Kubernetes, check.OIDC}
	c := check.Catalog{
		{ID: "K8S-001", Title: "discovery issuer equals the jwt[] entry's issuer.url", Severity: check.Fail,
			Reference:   ref + "; go-oidc: \"oidc: issuer did not match the issuer returned by provider\"",
			Remediation: "Set issuer.url to exactly the discovery document's issuer (trailing slash included): the authenticator never initializes otherwise, and refuses every token.",
			Requires:    []string{"DISC-001", "DISC-004", "DISC-005"}, Judge: judgeDiscoveryIssuer},
		{ID: "K8S-002", Title: "token alg is RS, ES or PS 256..512", Severity: check.Fail,
			Reference:   ref + " (allowedSigningAlgs; --authentication-config accepts them all)",
			Remediation: "Sign with RS256/384/512, ES256/384/512 or PS256/384/512: kube-apiserver refuses none, HMAC and EdDSA tokens.",
			Requires:    []string{"TOK-012"},
			Judge:       judgeAlg},
		{ID: "K8S-003", Title: "token has exp, not passed, and nbf at most 5 minutes ahead", Severity: check.Fail,
			Reference:   ref + "; go-oidc v2 verify: no exp is expired, exp has no leeway, nbf 5 minutes, iat is not checked",
			Remediation: "Put exp in every token and use it before then; keep the issuer's clock in sync so nbf is not ahead.",
			Judge:       judgeTimes},
		{ID: "K8S-004", Title: "iss equals issuer.url", Severity: check.Fail,
			Reference:   ref + " (tokens are routed to an authenticator by exact iss)",
			Remediation: "Issue tokens whose iss is exactly the jwt[] entry's issuer.url; any other iss is never given to this authenticator.",
			Requires:    []string{"K8S-001"}, Judge: judgeIssuer},
		{ID: "K8S-005", Title: "aud holds one of issuer.audiences", Severity: check.Fail,
			Reference:   ref + " (audienceMatchPolicy MatchAny)",
			Remediation: "Issue the token for one of the entry's issuer.audiences, or add its aud there.",
			Judge:       judgeAudience},
		{ID: "K8S-006", Title: "the username claim is present and a string", Severity: check.Fail,
			Reference:   ref + " (claimMappings.username.claim is required)",
			Remediation: "Put the claim claimMappings.username.claim names in every token, as a string, or map the username from a claim the token has.",
			Judge:       judgeUsername},
		{ID: "K8S-007", Title: "an email username is verified (email_verified true)", Severity: check.Fail,
			Reference:   ref + " (\"oidc: email not verified\")",
			Remediation: "With claimMappings.username.claim email, issue email_verified true (or leave it out), or map the username from another claim.",
			Requires:    []string{"K8S-006"}, Judge: judgeEmailVerified},
		{ID: "K8S-008", Title: "the groups claim is a string or an array of strings", Severity: check.Fail,
			Reference:   ref + " (stringOrArray)",
			Remediation: "Issue the groups claim as a string or an array of strings (not a number or an object), or map groups with a CEL expression.",
			Judge:       judgeGroups},
		{ID: "K8S-009", Title: "claim/requiredValue rules hold", Severity: check.Fail,
			Reference:   ref + " (claimValidationRules with claim and requiredValue)",
			Remediation: "Issue every claim the claimValidationRules require, as a string with exactly the required value, or correct the rule.",
			Judge:       judgeRequired},
		{ID: "K8S-010", Title: "kube-apiserver's own authenticator accepts the token (keys, signature, CEL rules)", Severity: check.Fail,
			Reference:   ref + "; run in-process on the probed documents",
			Remediation: "Read the authenticator's error: the key set does not decode for go-jose, the signature does not verify, or a CEL claimValidationRule, userValidationRule or claimMappings expression refused (fix the token's claims or the rule).",
			Requires:    []string{"K8S-011", "K8S-001", "K8S-002", "K8S-003", "K8S-004", "K8S-005", "K8S-006", "K8S-007", "K8S-008", "K8S-009"},
			Judge:       judgeAuthenticator},
		{ID: "K8S-011", Title: "the issuer's TLS chain verifies against issuer.certificateAuthority (or the host's roots)", Severity: check.Fail,
			Reference:   ref + " (issuer.certificateAuthority; without it the host's root CAs)",
			Remediation: "Put the CA that issues the issuer's certificate in issuer.certificateAuthority (PEM), or serve a publicly trusted chain.",
			Requires:    []string{"TLS-001", "TLS-006"}, Judge: judgeCA},
	}
	for i := range c {
		c[i].Area = Area
		c[i].Profiles = k8s
	}
	return c
}
