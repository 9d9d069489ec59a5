package rotation

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
)

// sample is one poll that answered with a key set.
type sample struct {
	at   time.Time
	keys map[string]string // material -> name
	hop  *evidence.Hop
}

// samples returns the polls that answered with a key set, in time order; a
// poll that failed is a gap that proves nothing.
func samples(t *evidence.Target) []sample {
	var out []sample
	for _, p := range t.Polls {
		if s, err := jwks.FromExchange(p.JWKS); err == nil {
			out = append(out, sample{at: p.At, keys: materials(s), hop: p.JWKS.Final()})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}

// rotation is a new key appearing while an old one is published, and what
// the polls say about how long both stayed published.
type rotation struct {
	newKey, oldKey string
	// The new key appeared after appearedAfter and by appearedBy.
	appearedAfter, appearedBy time.Time
	// withdrawn is false when the old key was still published at the last
	// poll (seen until lastSeen); else it went between lastSeen and goneBy.
	withdrawn        bool
	lastSeen, goneBy time.Time
}

// minOverlap is how long both keys were surely published together.
func (r rotation) minOverlap() time.Duration { return max(0, r.lastSeen.Sub(r.appearedBy)) }

// maxOverlap is the longest both can have been published together; only
// meaningful when withdrawn.
func (r rotation) maxOverlap() time.Duration { return r.goneBy.Sub(r.appearedAfter) }

// String names the value for a finding.
func (r rotation) String() string {
	if !r.withdrawn {
		return fmt.Sprintf("%s appeared between %s and %s; %s was still published at %s (overlap at least %s)",
			r.newKey, clock(r.appearedAfter), clock(r.appearedBy), r.oldKey, clock(r.lastSeen), span(r.minOverlap()))
	}
	return fmt.Sprintf("%s withdrawn between %s and %s, %s-%s after %s appeared",
		r.oldKey, clock(r.lastSeen), clock(r.goneBy), span(r.minOverlap()), span(r.maxOverlap()), r.newKey)
}

// rotations finds every key that first appeared during the watch (absent
// from every earlier sample: a key that flaps is ROT-004's business) and,
// for each key published just before it, when that key was last seen. A new
// key under the kid an old key had is not a rotation but a kid reused for
// new material, ROT-001's failure: those kids are returned in reused.
func rotations(ss []sample) (out []rotation, reused []string) {
	seen := map[string]bool{}
	for mat := range ss[0].keys {
		seen[mat] = true
	}
	for j := 1; j < len(ss); j++ {
		for _, mat := range sortedKeys(ss[j].keys) {
			if seen[mat] {
				continue
			}
			seen[mat] = true
			for _, old := range sortedKeys(ss[j-1].keys) {
				r := rotation{newKey: ss[j].keys[mat], oldKey: ss[j-1].keys[old], appearedAfter: ss[j-1].at, appearedBy: ss[j].at}
				if r.newKey == r.oldKey && strings.HasPrefix(r.newKey, "kid ") {
					if !slices.Contains(reused, r.newKey) {
						reused = append(reused, r.newKey)
					}
					continue
				}
				r.lastSeen, r.goneBy, r.withdrawn = withdrawal(ss, j-1, old)
				out = append(out, r)
			}
		}
	}
	return out, reused
}

// withdrawal finds the last sample from ss[from] on that has the key with
// material mat, and the sample after it, if any.
func withdrawal(ss []sample, from int, mat string) (lastSeen, goneBy time.Time, withdrawn bool) {
	last := from
	for i := from + 1; i < len(ss); i++ {
		if _, ok := ss[i].keys[mat]; ok {
			last = i
		}
	}
	if last == len(ss)-1 {
		return ss[last].at, time.Time{}, false
	}
	return ss[last].at, ss[last+1].at, true
}

// polls counts polls for a message.
func polls(n int) string {
	if n == 1 {
		return "1 poll"
	}
	return fmt.Sprintf("%d polls", n)
}

// watchSaw says what the polls of a watch that got no key set saw: the
// last failure, or why the watch never started.
func watchSaw(t *evidence.Target) string {
	if len(t.Polls) == 0 {
		if t.JWKSSkipReason != "" {
			return " (the watch did not start: " + t.JWKSSkipReason + ")"
		}
		return " (the run ended before the first poll answered)"
	}
	for i := len(t.Polls) - 1; i >= 0; i-- {
		if _, err := jwks.FromExchange(t.Polls[i].JWKS); err != nil {
			return fmt.Sprintf(" (the poll at %s: %s)", clock(t.Polls[i].At), strings.TrimPrefix(err.Error(), "jwks: "))
		}
	}
	return ""
}

// watched returns the samples of a watch, or the skip that says there is
// not enough of one.
func watched(t *evidence.Target) ([]sample, *check.Finding) {
	if len(t.Polls) < 2 && t.Input.Watch == 0 {
		f := check.Skip("no --watch: rotation is judged from polls of the key set over time")
		return nil, &f
	}
	ss := samples(t)
	if len(ss) < 2 {
		prefix := ""
		if t.Input.Watch > 0 {
			prefix = "the --watch of " + span(time.Duration(t.Input.Watch)) + ": "
		}
		f := check.Skip("%s%d of %s answered with a key set: nothing to compare%s", prefix, len(ss), polls(len(t.Polls)), watchSaw(t))
		return nil, &f
	}
	return ss, nil
}

func judgeOverlap(t *evidence.Target) check.Finding {
	ss, skip := watched(t)
	if skip != nil {
		return *skip
	}
	life := lifetime(t)
	watch := fmt.Sprintf("%d polls over %s", len(ss), span(ss[len(ss)-1].at.Sub(ss[0].at)))
	rs, reused := rotations(ss)
	note := ""
	if len(reused) > 0 {
		note = fmt.Sprintf("; not counted: %s took new key material (ROT-001's)", listed(reused))
	}
	if len(rs) == 0 {
		return check.Pass("no new key appeared during the watch (%s)%s", watch, note)
	}
	var early, fine []string
	judged := map[string]bool{}
	for _, r := range rs {
		switch {
		case judged[r.oldKey]:
			// A key's tokens stop being signed when its first successor
			// appears: a later new key does not restart its overlap.
		case r.withdrawn && r.maxOverlap() < life.d:
			early = append(early, r.String())
		default:
			fine = append(fine, r.String())
		}
		judged[r.oldKey] = true
	}
	if len(early) > 0 {
		return check.Failf("%s; %s, so tokens signed by the old key fail before they expire%s", listed(early), life, note)
	}
	return check.Pass("%s; %s (%s)%s", listed(fine), life, watch, note)
}

func judgeCacheWithinOverlap(t *evidence.Target) check.Finding {
	ss, skip := watched(t)
	if skip != nil {
		return *skip
	}
	rs, _ := rotations(ss)
	if len(rs) == 0 {
		return check.Skip("no rotation was observed during the watch (%d polls)", len(ss))
	}
	age, ok := jwks.MaxAge(t.JWKS.Final())
	if !ok {
		age, ok = jwks.MaxAge(ss[len(ss)-1].hop)
	}
	if !ok {
		return check.Skip("the key set has no max-age (see JWKS-012)")
	}
	var short, open []string
	proven := true
	judged := map[string]bool{}
	for _, r := range rs {
		first := !judged[r.oldKey]
		judged[r.oldKey] = true
		switch {
		case !first:
			// As in ROT-002: the overlap that matters is a key's with its
			// first successor, the key clients must learn before tokens
			// signed by it arrive.
		case r.withdrawn && r.maxOverlap() < age:
			short = append(short, fmt.Sprintf("%s and %s were both published for at most %s", r.oldKey, r.newKey, span(r.maxOverlap())))
		case r.minOverlap() < age:
			proven = false
			open = append(open, r.String())
		}
	}
	switch {
	case len(short) > 0:
		return check.Warnf("max-age is %s, but %s: a client that cached the set before the new key appeared may not see it in time",
			span(age), listed(short))
	case !proven:
		return check.Pass("max-age %s; the polls do not prove the overlap is shorter: %s", span(age), listed(open))
	}
	return check.Pass("max-age %s is within every observed overlap", span(age))
}
