// Package iam judges the issuer's IAM registration and the role's trust
// policy before any STS call: checks IAM-001 to IAM-007. A failing IAM-007 is
// the 403 "Not authorized to perform sts:AssumeRoleWithWebIdentity",
// explained before anyone reads CloudTrail.
package iam

import (
	"errors"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/partition"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
	"github.com/oidc-conformance/oidc-conformance/suites/claims"
)

// NoIAM is the skip message when the run has no IAM information.
const NoIAM = "no IAM registration given (--iam-provider, --trust-policy, or --role-arn with the mock STS)"

// providerHost is the issuer as IAM stores it: without https://.
func providerHost(t *evidence.Target) string { return trust.ProviderHost(t.Input.Issuer) }

// account returns the AWS account of the role or the provider ARN.
func account(t *evidence.Target) string {
	for _, arn := range []string{t.IAM.RoleARN, t.IAM.ProviderARN} {
		parts := strings.SplitN(arn, ":", 6)
		if len(parts) == 6 && parts[0] == "arn" && parts[4] != "" {
			return parts[4]
		}
	}
	return ""
}

// providerARN is the ARN the trust policy must name as Federated principal;
// "" when unknown (no ARN given, or no issuer to build it from: explain of
// a token it did not decode).
func providerARN(t *evidence.Target) string {
	if t.IAM.ProviderARN != "" {
		return t.IAM.ProviderARN
	}
	if acct := account(t); acct != "" && t.Input.Issuer != "" {
		return trust.ProviderARNIn(partition.OfARN(t.IAM.RoleARN).ID, acct, t.Input.Issuer)
	}
	return ""
}

// policy parses the trust policy: nil with a skip when there is none, or an
// error when it does not parse.
func policy(t *evidence.Target) (*trust.Policy, *check.Finding, error) {
	if t.IAM == nil || len(t.IAM.TrustPolicy) == 0 {
		f := check.Skip("no trust policy given (--trust-policy FILE)")
		return nil, &f, nil
	}
	if t.Input.Issuer == "" {
		// explain of a token it did not decode: no iss, no provider.
		if f := claims.NotDecoded(t); f != nil {
			return nil, f, nil
		}
	}
	p, err := trust.Parse(t.IAM.TrustPolicy)
	return p, nil, err
}

// keyError reports whether a parse error is about a condition key (IAM-005's
// business) rather than the document's shape (IAM-004's).
func keyError(err error) bool {
	var pe *trust.ParseError
	return errors.As(err, &pe) && strings.Contains(pe.Msg, "condition key")
}

// tokenClaims returns the token's condition-key values: aud, sub, amr, azp.
func tokenClaims(t *evidence.Target) (map[string][]string, bool) {
	return token.ConditionValues(t.Token)
}
