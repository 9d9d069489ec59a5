package iam

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// allowsFor returns the Allow statements naming arn as Federated principal
// and covering sts:AssumeRoleWithWebIdentity.
func allowsFor(p *trust.Policy, arn string) []trust.Statement {
	var out []trust.Statement
	for _, st := range p.Statements {
		if st.Effect != trust.Allow || !slices.Contains(st.Principal.Federated, arn) {
			continue
		}
		if slices.ContainsFunc(st.Actions, func(a string) bool {
			return trust.Like(strings.ToLower(a), strings.ToLower(trust.ActionAssumeRoleWithWebIdentity))
		}) {
			out = append(out, st)
		}
	}
	return out
}

func judgeAllowStatement(t *evidence.Target) check.Finding {
	p, skip, err := policy(t)
	switch {
	case skip != nil:
		return *skip
	case err != nil && keyError(err):
		return check.Skip("the policy's condition keys are judged by IAM-005")
	case err != nil:
		return check.Failf("%v", err)
	}
	arn := providerARN(t)
	if arn == "" {
		return check.Skip("the provider's ARN is unknown (give --role-arn or an --iam-provider with its ARN)")
	}
	if len(allowsFor(p, arn)) == 0 {
		msg := fmt.Sprintf("no statement allows sts:AssumeRoleWithWebIdentity for Federated %s: %s", arn, p.Evaluate(trust.Request{ProviderARN: arn, Claims: map[string][]string{}}).Reason)
		for _, st := range p.Statements {
			if slices.ContainsFunc(st.Principal.Others, stsrules.IsPodIdentityPrincipal) {
				msg += fmt.Sprintf("; this is an EKS Pod Identity role (it trusts the service %s): %s", stsrules.PodIdentityService, stsrules.PodIdentityAdvice)
				break
			}
		}
		return check.Failf("%s", msg)
	}
	maxNote := ""
	if m := t.IAM.MaxSessionDuration; m > 0 {
		maxNote = fmt.Sprintf("; the role's MaxSessionDuration is %ds (%s): DurationSeconds above it is STS's ValidationError", m, time.Duration(m)*time.Second)
	}
	if strings.HasPrefix(t.IAM.TrustPolicySource, "generated") {
		var compact bytes.Buffer
		if json.Compact(&compact, t.IAM.TrustPolicy) == nil {
			return check.Pass("%s: %s%s", t.IAM.TrustPolicySource, compact.String(), maxNote)
		}
	}
	return check.Pass("an Allow statement names %s%s", arn, maxNote)
}

func judgeConditionKeys(t *evidence.Target) check.Finding {
	p, skip, err := policy(t)
	switch {
	case skip != nil:
		return *skip
	case err != nil && keyError(err):
		return check.Failf("%v", err)
	case err != nil:
		return check.Skip("the policy does not parse (see IAM-004)")
	}
	host := providerHost(t)
	var bad, unsure []string
	for _, st := range p.Statements {
		for _, c := range st.Conditions {
			if strings.HasPrefix(c.Provider, "https://") && strings.TrimPrefix(c.Provider, "https://") == host {
				bad = append(bad, fmt.Sprintf("%q starts with https:// (IAM's condition keys are %s:%s)", c.Key, host, c.Claim))
				continue
			}
			switch k := trust.CheckKey(host, c); {
			case k.OK:
			case k.Unconfirmed:
				unsure = append(unsure, k.Problem)
			default:
				bad = append(bad, k.Problem)
			}
		}
	}
	switch {
	case len(bad) > 0:
		return check.Failf("%s", strings.Join(append(bad, unsure...), "; "))
	case len(unsure) > 0:
		return check.Warnf("%s", strings.Join(unsure, "; "))
	}
	if p, ok := trust.ProviderFor(host); ok && len(p.Claims) > 0 {
		return check.Pass("every condition key is one STS fills for %s tokens (%s:aud, :sub, :amr, :azp, and :%s)", p.Name, host, strings.Join(p.Claims, ", :"))
	}
	return check.Pass("every condition key is %s:aud, :sub, :amr or :azp", host)
}

func judgeScoping(t *evidence.Target) check.Finding {
	p, skip, err := policy(t)
	switch {
	case skip != nil:
		return *skip
	case err != nil:
		return check.Skip("the policy does not parse") // IAM-004 or IAM-005 fails: Requires blocks this
	}
	arn := providerARN(t)
	allows := p.Statements
	if arn != "" {
		allows = allowsFor(p, arn)
	}
	if len(allows) == 0 {
		return check.Skip("no Allow statement for this provider") // IAM-004 fails: Requires blocks this
	}
	host := providerHost(t)
	var warns []string
	for i, st := range allows {
		var hasAud, hasSub bool
		for _, c := range st.Conditions {
			if c.Provider != host || strings.Contains(c.Test, "Not") || c.Test == trust.Null {
				continue
			}
			switch c.Claim {
			case "aud":
				hasAud = true
			case "sub":
				hasSub = true
				for _, v := range c.Values {
					if c.Test == trust.StringLike && strings.Contains(v, "*") {
						warns = append(warns, fmt.Sprintf("statement %d: StringLike %q on sub admits %q", i, v, v))
					}
				}
			}
		}
		if !hasAud {
			warns = append(warns, fmt.Sprintf("statement %d has no %s:aud condition", i, host))
		}
		if !hasSub {
			warns = append(warns, fmt.Sprintf("statement %d has no %s:sub condition: every service account of the issuer can assume the role", i, host))
		}
	}
	if len(warns) > 0 {
		return check.Warnf("%s", strings.Join(warns, "; "))
	}
	return check.Pass("every Allow is scoped by :aud and :sub")
}

func judgeEvaluation(t *evidence.Target) check.Finding {
	p, skip, err := policy(t)
	switch {
	case skip != nil:
		return *skip
	case err != nil:
		return check.Skip("the policy does not parse") // IAM-004 or IAM-005 fails: Requires blocks this
	}
	claims, ok := tokenClaims(t)
	if !ok {
		return check.Skip("no token to evaluate the policy with")
	}
	arn := providerARN(t)
	if arn == "" {
		return check.Skip("the provider's ARN is unknown (give --role-arn or an --iam-provider with its ARN)")
	}
	d := p.Evaluate(trust.Request{ProviderARN: arn, Claims: claims})
	if !d.Allowed {
		return check.Failf("STS will answer 403 \"Not authorized to perform sts:AssumeRoleWithWebIdentity\": %s", d.Reason)
	}
	return check.Pass("%s", d.Reason)
}
