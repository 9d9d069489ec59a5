package jwks

import (
	"fmt"
	"slices"
	"sort"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

func judgeParses(t *evidence.Target, s *Set) check.Finding {
	var bad []string
	for _, k := range s.Keys {
		for _, p := range k.Problems {
			bad = append(bad, fmt.Sprintf("%s: %s", k.Name(), p))
		}
	}
	if len(bad) > 0 {
		return check.Failf("%s", listed(bad))
	}
	return check.Pass("all %s parse", s.inspected())
}

// withKID returns the materials of the keys that carry a non-empty kid.
func withKID(s *Set) map[string]bool {
	m := map[string]bool{}
	for _, k := range s.Keys {
		if k.HasKID && k.KID != "" {
			m[k.Material()] = true
		}
	}
	return m
}

func judgeKIDPresent(t *evidence.Target, s *Set) check.Finding {
	named := withKID(s)
	var missing []string
	copies := 0
	for _, k := range s.Keys {
		_, present := k.Members["kid"]
		switch {
		case k.Members == nil:
			continue // not an object: JWKS-003
		case !present:
			missing = append(missing, fmt.Sprintf("%s has no kid", k.Name()))
		case !k.HasKID:
			continue // a kid that is not a string: JWKS-003
		case k.KID == "" && named[k.Material()]:
			copies++ // PIW publishes a kid-less copy of each key for old tokens
		case k.KID == "":
			missing = append(missing, fmt.Sprintf("%s has an empty kid and is not a copy of a key that has one", k.Name()))
		}
	}
	if len(missing) > 0 {
		return check.Failf("%s; STS picks the key by exact kid", listed(missing))
	}
	if copies > 0 {
		return check.Pass("every key has a kid (%s with kid \"\" are copies of keys that have one, as the pod identity webhook publishes)",
			plural(copies, "key"))
	}
	return check.Pass("all %s have a kid", s.inspected())
}

func judgeKIDUnique(t *evidence.Target, s *Set) check.Finding {
	byKID := map[string][]*Key{}
	for _, k := range s.Keys {
		if k.HasKID && k.KID != "" {
			byKID[k.KID] = append(byKID[k.KID], k)
		}
	}
	var clash, repeated []string
	for kid, ks := range byKID {
		if len(ks) < 2 {
			continue
		}
		var mats []string
		for _, k := range ks {
			mats = append(mats, k.Material())
		}
		slices.Sort(mats)
		if len(slices.Compact(mats)) > 1 {
			clash = append(clash, fmt.Sprintf("kid %q names %d different keys", kid, len(mats)))
		} else {
			repeated = append(repeated, fmt.Sprintf("kid %q is published %d times with the same key", kid, len(ks)))
		}
	}
	sort.Strings(clash)
	sort.Strings(repeated)
	switch {
	case len(clash) > 0:
		return check.Failf("%s (RFC 7517 §4.5; a verifier may pick the wrong one)", listed(append(clash, repeated...)))
	case len(repeated) > 0:
		// RFC 7517 §4.5 asks distinct kids of different keys: one key
		// published twice is no ambiguity for a verifier.
		return check.Pass("%s, distinct but for %s (one key twice: no ambiguity for a verifier)", plural(len(byKID), "kid"), listed(repeated))
	}
	return check.Pass("%s, all distinct", plural(len(byKID), "kid"))
}

// judgeCount is stsrules.KeyLimitCaveat on the set (the mock STS and
// explain apply the same rule to the set they read): a WARN, since what STS
// does with a set over IAM's documented limit is unconfirmed.
func judgeCount(t *evidence.Target, s *Set) check.Finding {
	c := stsrules.KeyCount{Total: s.Total}
	for _, k := range s.Keys {
		switch k.Kty {
		case "RSA":
			c.RSA++
		case "EC":
			c.EC++
		}
	}
	if w := stsrules.KeyLimitCaveat(c); w != "" {
		return check.Warnf("%s", w)
	}
	return check.Pass("%d RSA and %d EC keys (at most %d of each)", c.RSA, c.EC, stsrules.MaxKeysPerType)
}
