// Package rotation judges how an issuer rotates its signing keys, from every
// observation of its key set the probe made: the main fetch, repeated
// fetches, one fetch per address of the jwks_uri host, the polls of a
// --watch and a baseline saved by an earlier run. Checks ROT-001 to ROT-006.
//
// Polls are samples: a check fails only when the polls prove a rule was
// broken, and its message says what the polls bound the timing to.
package rotation

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
)

// DefaultMaxTokenLifetime is the token lifetime assumed when the input gives
// none: EKS's 24 h.
const DefaultMaxTokenLifetime = 24 * time.Hour

// observation is one view of the key set.
type observation struct {
	label string
	at    time.Time // zero when unknown
	set   *jwks.Set
	err   error
}

// observations lists every view of the key set in t: the baseline, the main
// fetch, the repeats, the replicas and the polls, in that order.
func observations(t *evidence.Target) []observation {
	var obs []observation
	if b := t.Baseline; b != nil {
		s, err := jwks.Parse(b.JWKS)
		obs = append(obs, observation{label: baselineLabel(b), at: b.SavedAt, set: s, err: err})
	}
	if t.JWKS != nil {
		s, err := jwks.FromExchange(t.JWKS)
		obs = append(obs, observation{label: "the jwks_uri fetch", at: t.ProbedAt, set: s, err: err})
	}
	for i, ex := range t.Repeats {
		s, err := jwks.FromExchange(ex)
		obs = append(obs, observation{label: fmt.Sprintf("repeated fetch %d", i+1), set: s, err: err})
	}
	for _, r := range t.Replicas {
		s, err := jwks.FromExchange(r.JWKS)
		obs = append(obs, observation{label: "address " + r.Addr, set: s, err: err})
	}
	for _, p := range t.Polls {
		s, err := jwks.FromExchange(p.JWKS)
		obs = append(obs, observation{label: "the poll at " + clock(p.At), at: p.At, set: s, err: err})
	}
	return obs
}

func baselineLabel(b *evidence.Baseline) string {
	if b.SavedAt.IsZero() {
		return fmt.Sprintf("baseline %s", b.Source)
	}
	return fmt.Sprintf("baseline %s (saved %s)", b.Source, b.SavedAt.UTC().Format(time.RFC3339))
}

// kids maps each non-empty kid of s to the material of its first key.
func kids(s *jwks.Set) map[string]string {
	m := map[string]string{}
	for _, k := range s.Keys {
		if k.HasKID && k.KID != "" {
			if _, dup := m[k.KID]; !dup {
				m[k.KID] = k.Material()
			}
		}
	}
	return m
}

// materials maps each key material in s to the name of a key holding it,
// preferring a key with a kid (the pod identity webhook's kid-less copies
// then count as the same key).
func materials(s *jwks.Set) map[string]string {
	m := map[string]string{}
	for _, k := range s.Keys {
		mat := k.Material()
		if _, seen := m[mat]; !seen || (k.HasKID && k.KID != "" && !strings.HasPrefix(m[mat], "kid ")) {
			m[mat] = keyName(k, mat)
		}
	}
	return m
}

// keyName names a key across observations: by kid, or by a prefix of its
// thumbprint when it has none (an index means nothing in another set).
func keyName(k *jwks.Key, mat string) string {
	if k.HasKID && k.KID != "" {
		return fmt.Sprintf("kid %q", k.KID)
	}
	return fmt.Sprintf("the key without kid %s…", strings.TrimPrefix(mat, "unparsed:")[:8])
}

// signature lists the kid and material of every key of s, sorted: two
// observations serve the same key set when their signatures are equal.
func signature(s *jwks.Set) map[string]string {
	m := map[string]string{}
	for _, k := range s.Keys {
		mat := k.Material()
		kid := ""
		if k.HasKID {
			kid = k.KID
		}
		m[kid+"\x00"+mat] = keyName(k, mat)
	}
	return m
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// clock formats a poll time.
func clock(t time.Time) string { return t.UTC().Format("15:04:05") }

// span formats a duration for a message: whole seconds from 1 s up.
func span(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d >= time.Second {
		s := d.Round(time.Second).String()
		if strings.HasSuffix(s, "m0s") {
			s = strings.TrimSuffix(s, "0s")
		}
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
		return s
	}
	return d.Round(time.Millisecond).String()
}

// life is how long the issuer's tokens live, and where that comes from.
type life struct {
	d      time.Duration
	source string
}

// String names the value for a finding: "tokens live 1h (the given token's lifetime)".
func (l life) String() string { return fmt.Sprintf("tokens live %s (%s)", span(l.d), l.source) }

// lifetime is how long tokens live: the given token's own exp - iat when a
// token with both was given (an issuer's tokens share a lifetime, and that
// is the evidence), else the input's maximum (--max-token-lifetime), else
// EKS's 24 h.
func lifetime(t *evidence.Target) life {
	if t.Token != nil {
		if iat, exp, ok := validity(t.Token.Claims); ok && exp.After(iat) {
			return life{exp.Sub(iat), "the given token's lifetime"}
		}
	}
	if d := time.Duration(t.Input.MaxTokenLifetime); d > 0 {
		return life{d, "the maximum token lifetime"}
	}
	return life{DefaultMaxTokenLifetime, "EKS's default"}
}

// listed joins items for a message, at most six of them.
func listed(items []string) string {
	const most = 6
	if len(items) <= most {
		return strings.Join(items, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(items[:most], "; "), len(items)-most)
}
