package eks

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
)

// Area is the label and report area of these checks.
const Area = "eks"

// guide is the EKS user guide page the rules come from.
const guide = "Amazon EKS User Guide: Authenticate users for your cluster from an OpenID Connect identity provider"

// Checks returns the eks-oidc-login checks, in ID order.
func Checks() check.Catalog {
	// Judged whenever the relying party is asked for: its profile is oidc
	// (an identity provider's tokens), kubernetes under --profile kubernetes.
	k8s := []check.Profile{check.Kubernetes, check.OIDC}
	c := check.Catalog{
		{ID: "EKS-001", Title: "issuerUrl is https, with no query", Severity: check.Fail,
			Reference:   guide + " (\"must begin with https://\", a path is allowed, no query)",
			Remediation: "Associate the identity provider with the issuer's https URL, with no query string.",
			Judge:       judgeIssuerURL},
		{ID: "EKS-002", Title: "iss equals the configured issuerUrl", Severity: check.Fail,
			Reference:   guide + "; kube-apiserver --oidc-issuer-url (exact match)",
			Remediation: "Set issuerUrl to exactly the tokens' iss (trailing slash included), or issue tokens with that iss.",
			Requires:    []string{"EKS-001"}, Judge: judgeIssuer},
		{ID: "EKS-003", Title: "aud contains the clientId", Severity: check.Fail,
			Reference:   guide + " (the client ID is the ID token's audience)",
			Remediation: "Request the ID token for the client ID associated with the cluster, or associate the client ID the tokens carry.",
			Judge:       judgeAudience},
		{ID: "EKS-004", Title: "the username claim is present and a string", Severity: check.Fail,
			Reference:   guide + " (usernameClaim, default sub); kube-apiserver --oidc-username-claim",
			Remediation: "Issue the claim usernameClaim names in every ID token, as a string, or associate a usernameClaim the tokens carry.",
			Judge:       judgeUsername},
		{ID: "EKS-005", Title: "an email username is verified (email_verified true)", Severity: check.Fail,
			Reference:   "kube-apiserver OIDC authenticator (\"oidc: email not verified\")",
			Remediation: "Verify the user's email at the IdP (email_verified true), or log in with another usernameClaim.",
			Requires:    []string{"EKS-004"}, Judge: judgeEmailVerified},
		{ID: "EKS-006", Title: "the groups claim is a string or an array of strings", Severity: check.Fail,
			Reference:   guide + " (groupsClaim); kube-apiserver --oidc-groups-claim",
			Remediation: "Issue the groups claim as a string or an array of strings, or associate another groupsClaim.",
			Judge:       judgeGroups},
		{ID: "EKS-007", Title: "every required claim is present with its value", Severity: check.Fail,
			Reference:   guide + " (requiredClaims); kube-apiserver --oidc-required-claim",
			Remediation: "Issue every requiredClaims key with exactly its value (a string), or correct requiredClaims.",
			Judge:       judgeRequired},
		{ID: "EKS-008", Title: "token alg is RS256 (EKS's accepted algorithms are unpublished)", Severity: check.Warn,
			Reference:   "unconfirmed: EKS does not publish --oidc-signing-algs; kube-apiserver's default for the --oidc-* flags is RS256",
			Remediation: "Sign kubectl ID tokens with RS256 to be safe: EKS may refuse other algorithms.",
			Requires:    []string{"TOK-012"},
			Judge:       judgeAlg},
		{ID: "EKS-009", Title: "username and groups prefixes do not start with system:", Severity: check.Warn,
			Reference:   "unconfirmed: EKS is reported to refuse a usernamePrefix or groupsPrefix starting with system: (reserved by Kubernetes)",
			Remediation: "Choose prefixes outside system: (for example oidc:), so users cannot pose as Kubernetes components.",
			Judge:       judgePrefixes},
		{ID: "EKS-010", Title: "kube-apiserver's authenticator, configured as EKS configures it, accepts the token", Severity: check.Fail,
			Reference:   "k8s.io/apiserver plugin/pkg/authenticator/token/oidc (v0.37), run in-process with the --oidc-* settings of the association; " + guide,
			Remediation: "Read the authenticator's error: the key set does not decode for go-jose, the signature does not verify, or the token has expired (no leeway).",
			Requires:    []string{"DISC-001", "DISC-004", "DISC-005", "EKS-001", "EKS-002", "EKS-003", "EKS-004", "EKS-005", "EKS-006", "EKS-007", "EKS-008"},
			Judge:       func(t *evidence.Target) check.Finding { return kubeauth.Judge(t, Name) }},
	}
	for i := range c {
		c[i].Area = Area
		c[i].Profiles = k8s
	}
	return c
}
