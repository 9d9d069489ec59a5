package rotation

import (
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
)

// judgeReplicas compares every repeated fetch and every address's answer
// with the main fetch. An address that answers with another key set, or not
// with a key set, fails; one that could not be reached at all (no answer,
// e.g. IPv6 from a host without IPv6) is a warning, since the network path
// from here may be at fault rather than the issuer.
func judgeReplicas(t *evidence.Target) check.Finding {
	if len(t.Replicas) == 0 && len(t.Repeats) == 0 {
		return check.Skip("no repeated fetch and no per-address fetch of the jwks_uri was made")
	}
	if f, none := jwks.Unavailable(t); none {
		return f
	}
	ref, _ := jwks.FromExchange(t.JWKS)
	want := signature(ref)
	var differ, unreachable []string
	compare := func(label string, ex *evidence.Exchange) {
		if ex == nil || len(ex.Hops) == 0 {
			reason := "not fetched"
			if ex != nil {
				reason = ex.Err
			}
			unreachable = append(unreachable, fmt.Sprintf("%s: %s", label, reason))
			return
		}
		s, err := jwks.FromExchange(ex)
		if err != nil {
			differ = append(differ, fmt.Sprintf("%s: %s", label, strings.TrimPrefix(err.Error(), "jwks: ")))
			return
		}
		if d := diff(want, signature(s)); d != "" {
			differ = append(differ, fmt.Sprintf("%s %s", label, d))
		}
	}
	for i, ex := range t.Repeats {
		compare(fmt.Sprintf("repeated fetch %d", i+1), ex)
	}
	for _, r := range t.Replicas {
		compare("address "+r.Addr, r.JWKS)
	}
	what := fmt.Sprintf("%s and %s", count(len(t.Replicas), "address", "addresses"), count(len(t.Repeats), "repeated fetch", "repeated fetches"))
	switch {
	case len(differ) > 0:
		return check.Failf("%s: a split replica or CDN edge gives intermittent InvalidIdentityToken", listed(append(differ, unreachable...)))
	case len(unreachable) > 0:
		return check.Warnf("could not be reached from here, so not compared: %s", listed(unreachable))
	}
	return check.Pass("%s serve the same %d keys as the main fetch", what, len(want))
}

// count is "1 address", "2 addresses".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// diff says how got differs from want, or "".
func diff(want, got map[string]string) string {
	var lacks, adds []string
	for _, sig := range sortedKeys(want) {
		if _, ok := got[sig]; !ok {
			lacks = append(lacks, want[sig])
		}
	}
	for _, sig := range sortedKeys(got) {
		if _, ok := want[sig]; !ok {
			adds = append(adds, got[sig])
		}
	}
	var parts []string
	if len(lacks) > 0 {
		parts = append(parts, "lacks "+strings.Join(lacks, ", "))
	}
	if len(adds) > 0 {
		parts = append(parts, "adds "+strings.Join(adds, ", "))
	}
	return strings.Join(parts, " and ")
}
