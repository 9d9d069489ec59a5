package jwks

import (
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// maxListed is how many items a finding lists before "and N more".
const maxListed = 6

// served returns the final 200 answer of the JWKS fetch, or the skip that
// says why there is none.
func served(t *evidence.Target) (*evidence.Hop, *check.Finding) {
	if t.JWKS == nil {
		f := notFetched(t)
		return nil, &f
	}
	h, err := answer(t.JWKS)
	if err != nil {
		f := check.Skip("no key set was served (see JWKS-001)")
		return nil, &f
	}
	return h, nil
}

// keySet returns the served key set, or the skip that says why the keys
// cannot be judged (JWKS-001 or JWKS-002 failed).
func keySet(t *evidence.Target) (*Set, *check.Finding) {
	h, skip := served(t)
	if skip != nil {
		return nil, skip
	}
	s, err := Parse(h.Body)
	if err != nil {
		f := check.Skip("the answer is not a JWK Set (see JWKS-002)")
		return nil, &f
	}
	return s, nil
}

// notFetched is the skip for a target whose jwks_uri was never fetched.
func notFetched(t *evidence.Target) check.Finding {
	reason := t.JWKSSkipReason
	if reason == "" {
		reason = "the jwks_uri was not fetched"
	}
	return check.Skip("%s (see DISC-007 and DISC-001)", reason)
}

// listed joins items for a message, at most maxListed of them.
func listed(items []string) string {
	if len(items) <= maxListed {
		return strings.Join(items, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(items[:maxListed], "; "), len(items)-maxListed)
}

// plural is "1 key", "2 keys".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// headerValues returns every value of a header, matched case-insensitively.
func headerValues(h map[string][]string, name string) []string {
	var out []string
	for k, v := range h {
		if strings.EqualFold(k, name) {
			out = append(out, v...)
		}
	}
	return out
}
