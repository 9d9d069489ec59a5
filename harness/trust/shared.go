package trust

import (
	"fmt"
	"slices"
	"strings"
)

// pinTests are the operators IAM accepts for pinning a shared provider's
// identity.
func pinTests() []string { return []string{StringEquals, StringLike, StringEqualsIgnoreCase} }

// SharedProviderError is IAM's refusal of a trust policy that trusts a
// shared provider without pinning the identity.
type SharedProviderError struct {
	// Statement is the index of the first Allow statement that does not pin.
	Statement int
	// Message is IAM's MalformedPolicyDocument message.
	Message string
}

// Error implements error.
func (e *SharedProviderError) Error() string {
	return fmt.Sprintf("statement %d: MalformedPolicyDocument: %s", e.Statement, e.Message)
}

// CheckSharedProvider applies IAM's control for shared OIDC providers
// (IAM User Guide, id_roles_providers_oidc_secure-by-default.html): a role
// trusting one may be created, or its trust policy edited, only when every
// Allow statement for it evaluates one of the provider's PinClaims (GitHub:
// :sub or :job_workflow_ref) with StringEquals, StringLike or
// StringEqualsIgnoreCase, not scoped to all ("*"; "repo:*" is scoped).
// It returns nil for a policy IAM takes, or for a provider that is not shared.
func (p *Policy) CheckSharedProvider(providerARN string) *SharedProviderError {
	host := ProviderHostOf(providerARN)
	kp, ok := ProviderFor(host)
	if p == nil || !ok || !kp.Shared {
		return nil
	}
	for i, st := range p.Statements {
		if st.Effect != Allow || !st.Principal.matches(providerARN) || !st.coversAction(ActionAssumeRoleWithWebIdentity) {
			continue
		}
		if !st.pins(host, kp.PinClaims) {
			keys := make([]string, len(kp.PinClaims))
			for j, c := range kp.PinClaims {
				keys[j] = host + ":" + c
			}
			return &SharedProviderError{Statement: i, Message: fmt.Sprintf(
				"Trust policy with trusted principal %s must evaluate, using StringEquals, StringLike or StringEqualsIgnoreCase, %s which is not scoped to all.",
				providerARN, strings.Join(keys, " or "))}
		}
	}
	return nil
}

// pins reports whether the statement has a positive string condition on one
// of claims of host with a value that is not all wildcards.
func (st Statement) pins(host string, claims []string) bool {
	for _, c := range st.Conditions {
		if !strings.EqualFold(c.Provider, host) || !slices.Contains(claims, c.Claim) || !slices.Contains(pinTests(), c.Test) || c.IfExists {
			continue
		}
		for _, v := range c.Values {
			if strings.Trim(v, "*") != "" {
				return true
			}
		}
	}
	return false
}
