package iam

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "iam"

// Checks returns the IAM registration and trust-policy checks, in ID order.
func Checks() check.Catalog {
	aws := []check.Profile{check.AWS}
	c := check.Catalog{
		{ID: "IAM-001", Title: "provider URL equals the issuer", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Create an OpenID Connect (OIDC) identity provider",
			Remediation: "Register the provider with the issuer URL exactly (case and trailing slash included), without https://.",
			Judge:       judgeProviderURL},
		{ID: "IAM-002", Title: "token audience is a client ID", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Create an OIDC identity provider (ClientIDList); STS: Incorrect token audience",
			Remediation: "Add the token's audience (e.g. sts.amazonaws.com) to the provider: aws iam add-client-id-to-open-id-connect-provider.",
			Requires:    []string{"TOK-006"},
			Judge:       judgeClientIDs},
		{ID: "IAM-003", Title: "provider thumbprints are well formed and match", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Obtain the thumbprint for an OpenID Connect identity provider",
			Remediation: "Keep at most 5 thumbprints of 40 hex characters, including the one TLS-004 shows.",
			Requires:    []string{"TLS-005"}, // a host whose thumbprint is not the --thumbprint given is TLS-005's root
			Judge:       judgeThumbprints},
		{ID: "IAM-004", Title: "trust policy allows AssumeRoleWithWebIdentity for this provider", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Creating a role for web identity or OIDC federation",
			Remediation: "Add an Allow statement with Principal {\"Federated\": \"<provider ARN>\"} and Action sts:AssumeRoleWithWebIdentity.",
			Judge:       judgeAllowStatement},
		{ID: "IAM-005", Title: "condition keys are ones STS fills for this provider", Severity: check.Fail, Profiles: aws,
			Reference: "AWS IAM: Available keys for AWS web identity federation; What's New 2026-01, " +
				"\"AWS STS supports validation of identity provider claims\" (GitHub, Google, CircleCI, Oracle Cloud)",
			Remediation: "Write condition keys as <issuer without https://>:sub (or :aud, :amr, :azp, or a claim STS validates for " +
				"that provider, e.g. token.actions.githubusercontent.com:repository); other custom claims are not condition keys.",
			WarnsWhen: "a key is outside a provider's unconfirmed list (Google beyond oaud, CircleCI, Oracle Cloud): unconfirmed AWS behaviour, never a failure",
			Judge:     judgeConditionKeys},
		{ID: "IAM-006", Title: "trust policy is scoped by audience and subject", Severity: check.Warn, Profiles: aws,
			Reference:   "AWS EKS: Assign IAM roles to Kubernetes service accounts (trust policy)",
			Remediation: "Add StringEquals conditions on <provider>:aud and <provider>:sub (system:serviceaccount:<namespace>:<name>).",
			Requires:    []string{"IAM-004", "IAM-005", "IAM-008"},
			Judge:       judgeScoping},
		{ID: "IAM-007", Title: "trust policy conditions hold for this token", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: IAM JSON policy elements: Condition operators; STS AssumeRoleWithWebIdentity",
			Remediation: "Change the failing condition (or the token's service account) so the token's claims satisfy it.",
			Requires:    []string{"IAM-004", "IAM-005", "TOK-006", "TOK-007"},
			Judge:       judgeEvaluation},
		{ID: "IAM-008", Title: "a shared provider's trust policy pins the identity", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Secure-by-default controls for shared OIDC providers (id_roles_providers_oidc_secure-by-default.html)",
			Remediation: "Add a StringEquals or StringLike condition on <provider>:sub (GitHub: or :job_workflow_ref) that is not \"*\", e.g. repo:org/repo:ref:refs/heads/main.",
			Requires:    []string{"IAM-004", "IAM-005"},
			Judge:       judgeSharedProvider},
		{ID: "IAM-009", Title: "session tags and source identity are well formed and allowed", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Passing session tags in AWS STS (id_session-tags); Monitor and control actions taken with assumed roles (source identity)",
			Remediation: "Allow sts:TagSession (for https://aws.amazon.com/tags) and sts:SetSourceIdentity (for https://aws.amazon.com/source_identity) next to sts:AssumeRoleWithWebIdentity; one value per tag, at most 50 tags.",
			Requires:    []string{"IAM-004"},
			Judge:       judgeSessionClaims},
		{ID: "IAM-010", Title: "no condition-operator pitfalls", Severity: check.Warn, Profiles: aws,
			Reference:   "AWS IAM: Multivalued context keys (ForAllValues); IAM JSON policy elements: Condition operators (IfExists, StringLike)",
			Remediation: "Use ForAnyValue: (or add Null false) instead of ForAllValues: in an Allow; StringLike only with wildcards; StringEquals without them; no IfExists on :aud or :sub.",
			Judge:       judgePitfalls},
		{ID: "IAM-011", Title: "credential method: IRSA or EKS Pod Identity", Severity: check.Info, Profiles: aws,
			Reference:   "AWS EKS: How EKS Pod Identity works (pod-id-how-it-works); IAM roles for service accounts",
			Remediation: "Use one method per pod: IRSA (token audience sts.amazonaws.com, role trusting the OIDC provider) or Pod Identity (role trusting pods.eks.amazonaws.com, no web identity variables).",
			Judge:       judgeCredentialMethod},
	}
	for i := range c {
		c[i].Area = Area
	}
	return c
}
