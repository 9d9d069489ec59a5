package rotation

import (
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
)

func judgeKIDStable(t *evidence.Target) check.Finding {
	if f, none := jwks.Unavailable(t); none {
		return f
	}
	type first struct{ material, label string }
	seen := map[string]first{}
	reported := map[string]bool{}
	var changed []string
	n := 0
	for _, o := range observations(t) {
		if o.set == nil {
			continue
		}
		n++
		ks := kids(o.set)
		for _, kid := range sortedKeys(ks) {
			f, ok := seen[kid]
			switch {
			case !ok:
				seen[kid] = first{ks[kid], o.label}
			case f.material != ks[kid] && !reported[kid+"\x00"+ks[kid]]:
				reported[kid+"\x00"+ks[kid]] = true
				changed = append(changed, fmt.Sprintf("kid %q names one key in %s and another in %s", kid, f.label, o.label))
			}
		}
	}
	switch {
	case n == 1:
		return check.Skip("one observation of the key set: nothing to compare (use --watch or --jwks-baseline)")
	case len(changed) > 0:
		return check.Failf("%s: verifiers that cached the old key reject tokens signed by the new one; give a new key a new kid",
			listed(changed))
	}
	return check.Pass("%d kids, each naming the same key in all %d observations of the key set", len(seen), n)
}
