package trust

import (
	"fmt"
	"strings"
)

// Pitfalls lists the condition-operator mistakes in the Allow statements
// for providerARN that make a policy admit more, or less, than it reads:
// ForAllValues on a key the token may lack (it holds when the key is
// absent), StringLike without a wildcard, StringEquals with a * (a literal
// star), and ...IfExists on :aud or :sub (a token without the claim passes).
func (p *Policy) Pitfalls(providerARN string) []string {
	if p == nil {
		return nil
	}
	var out []string
	for i, st := range p.Statements {
		if st.Effect != Allow || !st.Principal.matches(providerARN) {
			continue
		}
		for _, c := range st.Conditions {
			if msg := st.pitfall(c); msg != "" {
				out = append(out, fmt.Sprintf("%s: %s", st.name(i), msg))
			}
		}
	}
	return out
}

// pitfall returns what is wrong with one condition of an Allow, or "".
func (st Statement) pitfall(c Condition) string {
	wild := func() bool {
		for _, v := range c.Values {
			if strings.ContainsAny(v, "*?") {
				return true
			}
		}
		return false
	}
	switch {
	case c.Set == ForAllValues && c.Test != Null && !st.requiresPresent(c):
		return fmt.Sprintf("%s holds when the token has no %s claim at all: add {\"Null\": {%q: \"false\"}} or use ForAnyValue:", c, c.Claim, c.Key)
	case c.IfExists && (c.Claim == "aud" || c.Claim == "sub"):
		return fmt.Sprintf("%s: IfExists lets a token without %s pass; STS requires aud and sub, so drop IfExists", c, c.Claim)
	case (c.Test == StringLike || c.Test == StringNotLike) && !wild():
		return fmt.Sprintf("%s has no * or ?: StringLike then means StringEquals; say StringEquals, or add the wildcard meant", c)
	case (c.Test == StringEquals || c.Test == StringNotEquals || c.Test == StringEqualsIgnoreCase) && wild():
		return fmt.Sprintf("%s compares a literal * or ?: StringEquals does not expand wildcards; use StringLike", c)
	}
	return ""
}

// requiresPresent reports whether the statement also requires c's key to be
// present (Null false), which closes ForAllValues' empty-set hole.
func (st Statement) requiresPresent(c Condition) bool {
	for _, o := range st.Conditions {
		if o.Test == Null && strings.EqualFold(o.Key, c.Key) && len(o.Values) == 1 && o.Values[0] == "false" {
			return true
		}
	}
	return false
}
