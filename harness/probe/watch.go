package probe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// DefaultWatchInterval is the time between polls when WatchOptions.Interval
// is zero.
const DefaultWatchInterval = 30 * time.Second

// WatchOptions configure Watch.
type WatchOptions struct {
	// Duration is how long to poll. Zero or negative: a single poll.
	Duration time.Duration
	// Interval is the time from the start of one poll to the start of the
	// next (a slow poll is followed at once by the next). Zero:
	// DefaultWatchInterval.
	Interval time.Duration
	// Progress, if set, is called after each poll, on Watch's goroutine.
	Progress func(WatchProgress)
}

// WatchProgress is what a watch has seen so far.
type WatchProgress struct {
	// Polls is the number of polls made.
	Polls int
	// Changes counts the polls whose key set differs from that of the
	// previous poll that answered with one.
	Changes int
	// Left is the time until the watch ends.
	Left time.Duration
	// Last is the latest poll.
	Last *evidence.Poll
}

// Watch polls jwksURL every o.Interval for o.Duration (ROT-002, ROT-006)
// and returns the polls in time order, their bodies redacted (RedactJWKS)
// as they are recorded.
// A poll whose body is byte for byte the previous poll's shares that body
// and is marked BodyAsBefore (saved evidence stores it once), so a long
// watch keeps one copy of each distinct key set, not one per poll. The watch
// ends at its duration: a poll still running then is cut short and left
// out, as is one cut short by ctx (Ctrl-C), so a report can still be
// written with the polls made.
func Watch(ctx context.Context, c *fetch.Client, jwksURL string, o WatchOptions) []evidence.Poll {
	c = c.Recording(RedactJWKS)
	interval := o.Interval
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	deadline := time.Now().Add(o.Duration)
	var polls []evidence.Poll
	var prev string
	var last struct {
		sum  [32]byte
		body []byte
		ok   bool
	}
	seen, changes := false, 0
	for {
		started := time.Now()
		pollCtx, cancel := context.WithCancel(ctx)
		if o.Duration > 0 {
			pollCtx, cancel = context.WithDeadline(ctx, deadline.Add(time.Second))
		}
		p := evidence.Poll{At: started.UTC(), JWKS: c.Get(pollCtx, jwksURL, JWKSAccept)}
		cut := pollCtx.Err() != nil
		cancel()
		if ctx.Err() != nil || (cut && len(polls) > 0) {
			return polls
		}
		if h := p.JWKS.Final(); h != nil && len(h.Body) > 0 {
			sum := sha256.Sum256(h.Body)
			if last.ok && sum == last.sum {
				h.Body, p.BodyAsBefore = last.body, true // already redacted
			} else {
				last.sum, last.body, last.ok = sum, h.Body, true
			}
		}
		polls = append(polls, p)
		if !p.BodyAsBefore {
			if fp, ok := keySetFingerprint(p.JWKS); ok {
				if seen && fp != prev {
					changes++
				}
				prev, seen = fp, true
			}
		}
		if o.Progress != nil {
			o.Progress(WatchProgress{Polls: len(polls), Changes: changes, Left: max(0, time.Until(deadline)), Last: &p})
		}
		next := started.Add(interval)
		if next.After(deadline) {
			return polls
		}
		timer := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			timer.Stop()
			return polls
		case <-timer.C:
		}
	}
}

// keySetFingerprint identifies the key set a poll answered with,
// independently of key order and member order; ok is false when the poll
// did not answer 200 with a JSON object holding a keys array.
func keySetFingerprint(ex *evidence.Exchange) (string, bool) {
	h := ex.Final()
	if ex.Err != "" || h == nil || h.Status != 200 {
		return "", false
	}
	var set struct {
		Keys []any `json:"keys"`
	}
	if err := json.Unmarshal(h.Body, &set); err != nil || set.Keys == nil {
		return "", false
	}
	sums := make([]string, 0, len(set.Keys))
	for _, k := range set.Keys {
		b, err := json.Marshal(k) // maps marshal with sorted member names
		if err != nil {
			return "", false
		}
		sum := sha256.Sum256(b)
		sums = append(sums, hex.EncodeToString(sum[:]))
	}
	slices.Sort(sums)
	return strings.Join(slices.Compact(sums), ","), true
}
