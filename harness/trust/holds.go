package trust

import (
	"fmt"
	"strings"
)

// holds evaluates the condition against the request's claims, whose keys
// are prefixed by host. It returns false with the reason when it fails.
func (c Condition) holds(host string, claims map[string][]string) (bool, string) {
	var seen []string
	if strings.EqualFold(c.Provider, host) {
		seen = claims[c.Claim]
	}
	if c.Test == Null {
		return c.holdsNull(len(seen) > 0)
	}
	if len(seen) == 0 {
		switch {
		case c.IfExists, c.Set == ForAllValues, c.Set == "" && negated(c.Test):
			return true, ""
		}
		return false, fmt.Sprintf("condition %s fails: %s", c, c.absence(host, claims))
	}
	if c.holdsFor(seen) {
		return true, ""
	}
	return false, fmt.Sprintf("condition %s fails: %s", c, c.mismatch(seen))
}

// holdsNull evaluates a Null condition: "true" wants the key absent,
// "false" present.
func (c Condition) holdsNull(present bool) (bool, string) {
	for _, v := range c.Values {
		if (v == "true") != present {
			return true, ""
		}
	}
	state := "absent"
	if present {
		state = "present"
	}
	return false, fmt.Sprintf("condition %s fails: the key is %s", c, state)
}

// holdsFor evaluates the condition against the key's values seen in the
// request (at least one). Without a set operator, a positive test holds when
// any value matches and a negated test when none does.
func (c Condition) holdsFor(seen []string) bool {
	test := func(v string) bool { return c.matchesAny(v) != negated(c.Test) }
	switch c.Set {
	case ForAllValues:
		for _, v := range seen {
			if !test(v) {
				return false
			}
		}
		return true
	case ForAnyValue:
		for _, v := range seen {
			if test(v) {
				return true
			}
		}
		return false
	}
	if negated(c.Test) {
		for _, v := range seen {
			if !test(v) {
				return false
			}
		}
		return true
	}
	for _, v := range seen {
		if test(v) {
			return true
		}
	}
	return false
}

// matchesAny reports whether v matches one of the policy's values under the
// test's comparison (ignoring its negation).
func (c Condition) matchesAny(v string) bool {
	for _, want := range c.Values {
		switch c.Test {
		case StringEquals, StringNotEquals:
			if v == want {
				return true
			}
		case StringEqualsIgnoreCase, StringNotEqualsIgnoreCase:
			if strings.EqualFold(v, want) {
				return true
			}
		case StringLike, StringNotLike:
			if Like(want, v) {
				return true
			}
		}
	}
	return false
}

// mismatch says what the request held when a present key failed, with a hint
// for the classic mistakes.
func (c Condition) mismatch(seen []string) string {
	what := fmt.Sprintf("the token's %s is %s", c.Claim, quoteList(seen))
	if len(seen) > 1 && c.Set == "" {
		what = fmt.Sprintf("the token's %s has the values %s", c.Claim, quoteList(seen))
	}
	if c.Set == ForAllValues {
		for _, v := range seen {
			if c.matchesAny(v) == negated(c.Test) {
				what += fmt.Sprintf(" and %q does not satisfy it", v)
				break
			}
		}
	}
	if negated(c.Test) {
		return what + ", which the condition excludes"
	}
	for _, v := range seen {
		for _, want := range c.Values {
			switch {
			case c.Test == StringEquals && strings.EqualFold(v, want):
				return what + fmt.Sprintf(" (it differs from %q only in case: StringEquals is case-sensitive)", want)
			case c.Test == StringEquals && strings.ContainsAny(want, "*?"):
				return what + " (StringEquals does not expand * or ?; use StringLike)"
			case c.Claim == "sub" && namespaceOf(v) != "" && namespaceOf(want) != "" && namespaceOf(v) != namespaceOf(want):
				return what + fmt.Sprintf(" (service account namespace %q, the condition wants %q)", namespaceOf(v), namespaceOf(want))
			case c.Claim == "sub" && GitHubSubjectDifference(v, want) != "":
				return what + " (" + GitHubSubjectDifference(v, want) + ")"
			}
		}
	}
	return what
}

// absence explains why a key is missing from the request.
func (c Condition) absence(host string, claims map[string][]string) string {
	switch {
	case strings.HasPrefix(strings.ToLower(c.Provider), "https://") && strings.EqualFold(c.Provider[len("https://"):], host):
		return fmt.Sprintf("the request has no key %q: condition keys name the provider without https:// (%s:%s)", c.Key, host, c.Claim)
	case !strings.EqualFold(c.Provider, host):
		return fmt.Sprintf("the request has no key %q: the token's provider is %q, the key names %q", c.Key, host, c.Provider)
	}
	return fmt.Sprintf("the token has no %s claim, so the request has no key %q", c.Claim, c.Key)
}

// namespaceOf returns the namespace of a Kubernetes service-account subject
// system:serviceaccount:<namespace>:<name>, or "".
func namespaceOf(sub string) string {
	parts := strings.Split(sub, ":")
	if len(parts) == 4 && parts[0] == "system" && parts[1] == "serviceaccount" {
		return parts[2]
	}
	return ""
}
