package jwks

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// MaxKeysPerType is the most keys of one type IAM takes in a set: "a maximum
// of 100 RSA keys and 100 EC keys" (IAM User Guide, Create an OpenID Connect
// (OIDC) identity provider). The two counts are separate.
const MaxKeysPerType = 100

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

func judgeCount(t *evidence.Target, s *Set) check.Finding {
	if n := s.Total; n > len(s.Keys) && n > 2*MaxKeysPerType {
		return check.Failf("%d keys, more than IAM's %d RSA and %d EC together: remove retired keys", n, MaxKeysPerType, MaxKeysPerType)
	}
	count := map[string]int{}
	for _, k := range s.Keys {
		count[k.Kty]++
	}
	var over []string
	for _, kty := range []string{"RSA", "EC"} {
		if n := count[kty]; n > MaxKeysPerType {
			over = append(over, fmt.Sprintf("%d %s keys, over IAM's %d", n, kty, MaxKeysPerType))
		}
	}
	if len(over) > 0 {
		return check.Failf("%s (IAM takes at most %d RSA and %d EC keys; more RSA keys than that broke RSA-signed tokens, spire#4699): remove retired keys",
			strings.Join(over, " and "), MaxKeysPerType, MaxKeysPerType)
	}
	return check.Pass("%d RSA and %d EC keys (at most %d of each)", count["RSA"], count["EC"], MaxKeysPerType)
}
