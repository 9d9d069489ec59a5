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
			Judge:       judgeThumbprints},
		{ID: "IAM-004", Title: "trust policy allows AssumeRoleWithWebIdentity for this provider", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Creating a role for web identity or OIDC federation",
			Remediation: "Add an Allow statement with Principal {\"Federated\": \"<provider ARN>\"} and Action sts:AssumeRoleWithWebIdentity.",
			Judge:       judgeAllowStatement},
		{ID: "IAM-005", Title: "condition keys are <provider>:aud/sub/amr/azp", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: Available keys for AWS web identity federation",
			Remediation: "Write condition keys as <issuer without https://>:sub (or :aud, :amr, :azp); custom claims are not condition keys.",
			Judge:       judgeConditionKeys},
		{ID: "IAM-006", Title: "trust policy is scoped by audience and subject", Severity: check.Warn, Profiles: aws,
			Reference:   "AWS EKS: Assign IAM roles to Kubernetes service accounts (trust policy)",
			Remediation: "Add StringEquals conditions on <provider>:aud and <provider>:sub (system:serviceaccount:<namespace>:<name>).",
			Requires:    []string{"IAM-004", "IAM-005"},
			Judge:       judgeScoping},
		{ID: "IAM-007", Title: "trust policy conditions hold for this token", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS IAM: IAM JSON policy elements: Condition operators; STS AssumeRoleWithWebIdentity",
			Remediation: "Change the failing condition (or the token's service account) so the token's claims satisfy it.",
			Requires:    []string{"IAM-004", "IAM-005", "TOK-006", "TOK-007"},
			Judge:       judgeEvaluation},
	}
	for i := range c {
		c[i].Area = Area
	}
	return c
}
