package trust

import (
	"fmt"
	"strings"
)

// ActionAssumeRoleWithWebIdentity is the action a web identity token assumes
// a role with, and Request's default.
const ActionAssumeRoleWithWebIdentity = "sts:AssumeRoleWithWebIdentity"

// Request is what a policy is evaluated against: one AssumeRoleWithWebIdentity
// call as IAM sees it.
type Request struct {
	// Action is the action asked for. Empty: sts:AssumeRoleWithWebIdentity.
	Action string
	// ProviderARN is the federated principal, the IAM OIDC provider's ARN
	// arn:aws:iam::<account>:oidc-provider/<issuer without https://>. Its
	// part after "oidc-provider/" is the prefix of the request's condition keys.
	ProviderARN string
	// Claims are the values of the condition keys, keyed "aud", "sub", "amr"
	// and "azp"; a key with no values is absent from the request.
	Claims map[string][]string
}

// Decision is the outcome of Evaluate.
type Decision struct {
	// Allowed is true when an Allow statement matches and no Deny does.
	Allowed bool
	// Reason explains the decision: the Allow that matched, the Deny that
	// matched, or the first condition that failed with the value it saw.
	Reason string
	// Statement is the index of the statement the reason is about, or -1.
	Statement int
}

// Evaluate decides req as IAM does: an explicit Deny wins, otherwise any
// matching Allow allows, otherwise the request is implicitly denied. A nil
// Policy never allows.
func (p *Policy) Evaluate(req Request) Decision { return p.evaluate(req, true) }

// Decide is Evaluate for a caller that reads the reason of a refusal only
// (the mock STS at every request): an allowing Decision's Reason is left
// empty, not built. Allowed, Statement and a refusal's Reason are Evaluate's.
func (p *Policy) Decide(req Request) Decision { return p.evaluate(req, false) }

// evaluate is Evaluate; explainAllow says whether an allowing decision
// gets its Reason.
func (p *Policy) evaluate(req Request, explainAllow bool) Decision {
	if p == nil {
		return Decision{Reason: "no trust policy", Statement: -1}
	}
	if req.Action == "" {
		req.Action = ActionAssumeRoleWithWebIdentity
	}
	host := ProviderHostOf(req.ProviderARN)
	allow, firstFailure, failedAt := -1, "", -1
	for i, st := range p.Statements {
		if !st.Principal.matches(req.ProviderARN) || !st.coversAction(req.Action) {
			continue
		}
		failure := st.failedCondition(host, req.Claims)
		switch {
		case st.Effect == Deny && failure == "":
			return Decision{Statement: i, Reason: fmt.Sprintf("%s explicitly denies %s for %s%s",
				st.name(i), req.Action, req.ProviderARN, st.conditionSummary())}
		case st.Effect == Allow && failure == "" && allow < 0:
			allow = i
		case st.Effect == Allow && failure != "" && failedAt < 0:
			firstFailure, failedAt = failure, i
		}
	}
	if allow >= 0 {
		if !explainAllow {
			return Decision{Allowed: true, Statement: allow}
		}
		st := p.Statements[allow]
		return Decision{Allowed: true, Statement: allow, Reason: fmt.Sprintf("%s allows %s for %s%s",
			st.name(allow), req.Action, req.ProviderARN, st.conditionSummary())}
	}
	if failedAt >= 0 {
		return Decision{Statement: failedAt, Reason: p.Statements[failedAt].name(failedAt) + ": " + firstFailure}
	}
	return p.noApplicableAllow(req)
}

// name names statement i for a reason: "statement 0" or `statement 0 ("Sid")`.
func (st Statement) name(i int) string {
	if st.Sid != "" {
		return fmt.Sprintf("statement %d (%q)", i, st.Sid)
	}
	return fmt.Sprintf("statement %d", i)
}

// conditionSummary is the tail of an Allow or Deny reason.
func (st Statement) conditionSummary() string {
	switch len(st.Conditions) {
	case 0:
		return " with no conditions"
	case 1:
		return "; its condition holds: " + st.Conditions[0].String()
	}
	return fmt.Sprintf("; its %d conditions hold", len(st.Conditions))
}

// matches reports whether the principal covers the federated principal arn.
func (pr Principal) matches(arn string) bool {
	if pr.Everyone {
		return true
	}
	for _, f := range pr.Federated {
		if f == "*" || f == arn {
			return true
		}
	}
	return false
}

// coversAction reports whether one of the statement's Action patterns
// matches action, without regard to case.
func (st Statement) coversAction(action string) bool {
	lowered := ""
	for _, a := range st.Actions {
		if !hasWildcard(a) && isASCII(a) && isASCII(action) {
			// Like without a wildcard is equality, and ASCII case folding
			// is lower-casing: no lower-cased copies.
			if strings.EqualFold(a, action) {
				return true
			}
			continue
		}
		if lowered == "" {
			lowered = strings.ToLower(action)
		}
		if Like(strings.ToLower(a), lowered) {
			return true
		}
	}
	return false
}

// failedCondition returns "" when every condition holds, else why the first
// one that does not fails.
func (st Statement) failedCondition(host string, claims map[string][]string) string {
	for _, c := range st.Conditions {
		if ok, why := c.holds(host, claims); !ok {
			return why
		}
	}
	return ""
}

// noApplicableAllow explains an implicit deny where no Allow statement named
// the principal and action.
func (p *Policy) noApplicableAllow(req Request) Decision {
	var named []string
	for i, st := range p.Statements {
		if st.Effect != Allow {
			continue
		}
		if st.Principal.matches(req.ProviderARN) {
			return Decision{Statement: i, Reason: fmt.Sprintf("%s names %s but its Action %s does not cover %s",
				st.name(i), req.ProviderARN, quoteList(st.Actions), req.Action)}
		}
		named = append(named, st.Principal.Federated...)
		named = append(named, st.Principal.Others...)
	}
	if len(named) == 0 {
		return Decision{Statement: -1, Reason: "the policy has no Allow statement"}
	}
	reason := fmt.Sprintf("no Allow statement names the federated principal %s; the Allow statements name %s",
		req.ProviderARN, quoteList(named))
	for _, n := range named {
		if n != req.ProviderARN && strings.EqualFold(n, req.ProviderARN) {
			reason += fmt.Sprintf(" (%q differs from it only in case)", n)
			break
		}
	}
	return Decision{Statement: -1, Reason: reason}
}

// hasWildcard reports whether an Action pattern holds * or ?.
func hasWildcard(pattern string) bool { return strings.ContainsAny(pattern, "*?") }

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
