package sts

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "sts"

// Checks returns the end-to-end checks, in ID order.
func Checks() check.Catalog {
	aws := []check.Profile{check.AWS}
	c := check.Catalog{
		{ID: "STS-001", Title: "AssumeRoleWithWebIdentity returns credentials", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS STS API Reference: AssumeRoleWithWebIdentity",
			Remediation: "Fix the root the message names (the check that explains STS's answer, from the STS model); for AccessDenied, read IAM-004 and IAM-007.",
			RootOf:      rootOfRefusal, Judge: judgeAssume},
		{ID: "STS-002", Title: "STS's answer names this token's subject, audience and role session", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS STS API Reference: AssumeRoleWithWebIdentity (Response Elements)",
			Remediation: "An STS-compatible endpoint that answers with another subject or ARN is not behaving like STS; check --sts.",
			Requires:    []string{"STS-001"},
			Judge:       judgeResult},
		{ID: "STS-003", Title: "the credentials work (GetCallerIdentity)", Severity: check.Fail, Profiles: aws,
			Reference:   "AWS STS API Reference: GetCallerIdentity; AWS Signature Version 4",
			Remediation: "Credentials that do not sign a GetCallerIdentity are unusable: check the STS endpoint and region.",
			Requires:    []string{"STS-001"},
			Judge:       judgeCredentialsWork},
	}
	for i := range c {
		c[i].Area = Area
	}
	return c
}
