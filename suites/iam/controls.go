package iam

import (
	"fmt"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// parsedPolicy is policy() for the checks that judge a policy that parses:
// a skip when there is none or it does not.
func parsedPolicy(t *evidence.Target) (*trust.Policy, *check.Finding) {
	p, skip, err := policy(t)
	switch {
	case skip != nil:
		return nil, skip
	case err != nil:
		f := check.Skip("the policy does not parse (see IAM-004 and IAM-005)")
		return nil, &f
	}
	return p, nil
}

func judgeSharedProvider(t *evidence.Target) check.Finding {
	p, skip := parsedPolicy(t)
	if skip != nil {
		return *skip
	}
	host := providerHost(t)
	kp, known := trust.ProviderFor(host)
	if !known || !kp.Shared {
		return check.Skip("%s is not a shared provider (IAM's controls cover issuers many customers share, such as GitHub's)", host)
	}
	arn := providerARN(t)
	if arn == "" {
		return check.Skip("the provider's ARN is unknown (give --role-arn or an --iam-provider with its ARN)")
	}
	if err := p.CheckSharedProvider(arn); err != nil {
		return check.Failf("IAM refuses this trust policy when the role is created or its policy next edited (%s): %s", kp.Name, err)
	}
	return check.Pass("every Allow for the shared provider %s pins %s:%s with StringEquals, StringLike or StringEqualsIgnoreCase",
		kp.Name, host, strings.Join(kp.PinClaims, " or :"))
}

func judgeSessionClaims(t *evidence.Target) check.Finding {
	if t.Token == nil || len(t.Token.Claims) == 0 {
		return check.Skip("no token")
	}
	sc, e := stsrules.ReadSessionClaims(t.Token.Claims)
	if e != nil {
		return check.Failf("STS will answer %s: %s", e.Code, e.Message)
	}
	need := sc.Actions()
	if len(need) == 0 {
		return check.Skip("the token carries neither %s nor %s", stsrules.ClaimSessionTags, stsrules.ClaimSourceIdentity)
	}
	p, skip := parsedPolicy(t)
	if skip != nil {
		return check.Pass("the token's session claims are well formed (%s); %s", strings.Join(need, " and "), skip.Message)
	}
	arn := providerARN(t)
	claims, _ := tokenClaims(t)
	var missing []string
	for _, action := range need {
		if d := p.Evaluate(trust.Request{Action: action, ProviderARN: arn, Claims: claims}); !d.Allowed {
			missing = append(missing, fmt.Sprintf("%s (%s)", action, d.Reason))
		}
	}
	if len(missing) > 0 {
		return check.Failf("the token asks for session tags or a source identity but the trust policy does not allow %s: STS answers AccessDenied",
			strings.Join(missing, "; "))
	}
	return check.Pass("the trust policy allows %s for the token's session claims", strings.Join(need, " and "))
}

func judgePitfalls(t *evidence.Target) check.Finding {
	p, skip := parsedPolicy(t)
	if skip != nil {
		return *skip
	}
	arn := providerARN(t)
	if arn == "" {
		arn = "*"
	}
	if found := p.Pitfalls(arn); len(found) > 0 {
		return check.Warnf("%s", strings.Join(found, "; "))
	}
	return check.Pass("no condition-operator pitfall in the Allow statements")
}

func judgeCredentialMethod(t *evidence.Target) check.Finding {
	var pod, irsa []string
	if claims, ok := tokenClaims(t); ok && stsrules.IsPodIdentityToken(claims["aud"]) {
		pod = append(pod, fmt.Sprintf("the token's audience is %s (an EKS Pod Identity token)", stsrules.PodIdentityAudience))
	}
	if p, skip := parsedPolicy(t); skip == nil {
		for _, st := range p.Statements {
			if st.Effect == trust.Allow && slices.ContainsFunc(st.Principal.Others, stsrules.IsPodIdentityPrincipal) {
				pod = append(pod, fmt.Sprintf("the role trusts the service %s (an EKS Pod Identity role)", stsrules.PodIdentityService))
				break
			}
		}
	}
	env := t.Pod
	if env != nil && env.ContainerCredentialsURI != "" {
		pod = append(pod, "the pod has AWS_CONTAINER_CREDENTIALS_FULL_URI="+env.ContainerCredentialsURI)
	}
	if env != nil && env.WebIdentityTokenFile != "" {
		irsa = append(irsa, "the pod has AWS_WEB_IDENTITY_TOKEN_FILE="+env.WebIdentityTokenFile)
	}
	picks := ""
	if env != nil && env.WebIdentityTokenFile != "" && env.ContainerCredentialsURI != "" {
		picks = "; the SDK's default chain takes the web identity token first, so this pod uses IRSA and ignores Pod Identity"
	}
	switch {
	case len(pod) > 0 && (t.STS != nil || t.IAM != nil || len(irsa) > 0):
		return check.Pass("this run judges IRSA (AssumeRoleWithWebIdentity), but %s%s: %s", strings.Join(pod, ", "), picks, stsrules.PodIdentityAdvice)
	case len(pod) > 0:
		return check.Pass("EKS Pod Identity: %s%s", strings.Join(pod, ", "), picks)
	case len(irsa) > 0:
		return check.Pass("IRSA (AssumeRoleWithWebIdentity): %s%s", strings.Join(irsa, ", "), picks)
	}
	return check.Pass("web identity federation (AssumeRoleWithWebIdentity); no pod credential environment was seen")
}
