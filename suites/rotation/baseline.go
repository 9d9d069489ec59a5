package rotation

import (
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
)

// judgeBaseline reports the kids added and removed since the baseline, and
// warns when a key of the baseline is gone sooner than a token lifetime
// after the baseline was saved, so tokens it signed may still be valid (a
// WARN: the baseline does not say the key was still signing). A baseline that is not a readable JWK
// Set is the user's file, not the issuer's fault, so it skips, saying why
// (the command should refuse such a file up front; this covers hand-edited
// evidence).
func judgeBaseline(t *evidence.Target) check.Finding {
	b := t.Baseline
	if b == nil {
		return check.Skip("no --jwks-baseline")
	}
	old, err := jwks.Parse(b.JWKS)
	if err != nil {
		return check.Skip("%s is not a readable JWK Set (%v): nothing compared; save one with --save-jwks",
			baselineLabel(b), strings.TrimPrefix(err.Error(), "jwks: "))
	}
	if f, none := jwks.Unavailable(t); none {
		return f
	}
	cur, _ := jwks.FromExchange(t.JWKS)
	before, now := byName(old), byName(cur)
	var added, removed, changed []string
	same := 0
	for _, name := range sortedKeys(now) {
		switch mat, ok := before[name]; {
		case !ok:
			added = append(added, name)
		case mat != now[name]:
			changed = append(changed, name)
		default:
			same++
		}
	}
	for _, name := range sortedKeys(before) {
		if _, ok := now[name]; !ok {
			removed = append(removed, name)
		}
	}
	parts := []string{fmt.Sprintf("against %s", baselineLabel(b))}
	if len(added) > 0 {
		parts = append(parts, "added "+listed(added))
	}
	if len(removed) > 0 {
		parts = append(parts, "removed "+listed(removed))
	}
	if len(changed) > 0 {
		parts = append(parts, "changed key material: "+listed(changed)+" (see ROT-001)")
	}
	parts = append(parts, fmt.Sprintf("%d unchanged", same))
	if early := withdrawnEarly(t, removed); early != "" {
		return check.Warnf("%s; %s", strings.Join(parts, "; "), early)
	}
	return check.Pass("%s", strings.Join(parts, "; "))
}

// withdrawnEarly says why the removed keys may still have valid tokens:
// they were published when the baseline was saved, and less than the
// longest token lifetime has passed since. It is "" when nothing was
// removed, the times are unknown, or the lifetime has passed.
func withdrawnEarly(t *evidence.Target, removed []string) string {
	b := t.Baseline
	if len(removed) == 0 || b.SavedAt.IsZero() || t.ProbedAt.IsZero() {
		return ""
	}
	since, life := t.ProbedAt.Sub(b.SavedAt), lifetime(t)
	if since >= life.d {
		return ""
	}
	return fmt.Sprintf("removed %s after the baseline was saved, but %s: a token signed then by %s "+
		"may be valid %s more and no longer verifies (keep a key published for the token lifetime after it stops signing)",
		span(since), life, listed(removed), span(life.d-since))
}

// byName maps each key of s to its material, named by kid (kid-less keys by
// their thumbprint, so their names are their materials).
func byName(s *jwks.Set) map[string]string {
	m := map[string]string{}
	for mat, name := range materials(s) {
		if !strings.HasPrefix(name, "kid ") {
			m[name] = mat
		}
	}
	for kid, mat := range kids(s) {
		m[fmt.Sprintf("kid %q", kid)] = mat
	}
	return m
}
