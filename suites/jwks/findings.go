package jwks

import (
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// maxListed is how many items a finding lists before "and N more".
const maxListed = 6

// Unavailable says why t has no key set to judge, as the finding of a check
// that needs one: blocked by DISC-007 (the jwks_uri was not fetched: the
// discovery checks say why), JWKS-001 (no complete 200 answer) or JWKS-002
// (the answer is not a JWK Set with keys). ok is false when the set is there.
func Unavailable(t *evidence.Target) (f check.Finding, ok bool) {
	if _, root := set(t); root != "" {
		return check.Blocked(root), true
	}
	return check.Finding{}, false
}

// set returns the served key set, or the check whose failure explains why
// there is none.
func set(t *evidence.Target) (*Set, string) {
	if t.JWKS == nil {
		return nil, "DISC-007"
	}
	h, err := answer(t.JWKS)
	if err != nil {
		return nil, "JWKS-001"
	}
	s, err := Parse(h.Body)
	if err != nil {
		return nil, "JWKS-002"
	}
	return s, ""
}

// The prerequisites the catalog declares for the judges below: a fetch of
// the jwks_uri (DISC-007), and for the keys a JWK Set (JWKS-002, which
// blocks its dependents with JWKS-001 when there was no answer).
var (
	needsFetch = []string{"DISC-007"}
	needsSet   = []string{"JWKS-002"}
)

// withAnswer adapts a judge of the complete 200 answer of the jwks_uri
// (after any redirect: JWKS-001 fails a redirect, but the answer is still
// judged). Without one, the judge is blocked by the check that says why.
func withAnswer(judge func(*evidence.Target, *evidence.Hop) check.Finding) check.Judge {
	return func(t *evidence.Target) check.Finding {
		if t.JWKS == nil {
			return check.Blocked("DISC-007")
		}
		h, err := answer(t.JWKS)
		if err != nil {
			return check.Blocked("JWKS-001")
		}
		return judge(t, h)
	}
}

// withSet adapts a judge of the parsed key set.
func withSet(judge func(*evidence.Target, *Set) check.Finding) check.Judge {
	return func(t *evidence.Target) check.Finding {
		s, root := set(t)
		if root != "" {
			return check.Blocked(root)
		}
		return judge(t, s)
	}
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
