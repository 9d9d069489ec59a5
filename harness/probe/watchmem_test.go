package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// bigKeySet is a key set of about size bytes.
func bigKeySet(size int) string {
	var b strings.Builder
	b.WriteString(`{"keys":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"kty":"RSA","kid":"k%d","use":"sig","n":"%s","e":"AQAB"}`, i, strings.Repeat("q", 342))
	}
	b.WriteString(`]}`)
	return b.String()
}

// TestWatchMemoryIsFlat polls a 0.8 MB key set at a short interval, as a
// one-hour watch at 2 s would (1800 polls), and projects the heap from
// what each poll keeps: it must stay under 100 MB. The watch also ends at
// its own duration.
func TestWatchMemoryIsFlat(t *testing.T) {
	set := bigKeySet(800 << 10)
	srv, c := keyServer(t, func(int64) (int, string) { return 200, set })
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	const warm, planned = 10, 1800
	var atWarm, atEnd uint64
	var n int
	duration := 3 * time.Second
	start := time.Now()
	polls := Watch(context.Background(), c, srv.URL+"/keys", WatchOptions{
		Duration: duration, Interval: time.Millisecond,
		Progress: func(p WatchProgress) {
			n = p.Polls
			if p.Polls == warm {
				atWarm = heap()
			}
		},
	})
	took := time.Since(start)
	atEnd = heap()
	if n < warm*3 {
		t.Skipf("only %d polls in %s: the machine is too slow to project", n, duration)
	}
	perPoll := float64(int64(atEnd)-int64(atWarm)) / float64(n-warm)
	projected := float64(atEnd) + perPoll*float64(planned-n)
	t.Logf("%d polls of a %d KiB key set in %s; heap %d MiB after %d polls, %d MiB after %d; %.0f bytes per poll; 1800 polls: %.0f MiB",
		n, len(set)>>10, took.Round(time.Millisecond), atWarm>>20, warm, atEnd>>20, n, perPoll, projected/(1<<20))
	if projected > 100<<20 {
		t.Errorf("a 1800-poll watch would hold %.0f MiB, want under 100", projected/(1<<20))
	}
	if took > duration+1500*time.Millisecond {
		t.Errorf("the %s watch took %s", duration, took)
	}
	same := 0
	for _, p := range polls[1:] {
		if p.BodyAsBefore {
			same++
		}
	}
	if same != len(polls)-1 {
		t.Errorf("%d of %d repeated polls share the body", same, len(polls)-1)
	}
	// Saved, the repeated bodies are written once.
	b, err := json.Marshal(polls)
	if err != nil || len(b) > len(set)*2+len(polls)*2048 {
		t.Errorf("saved polls are %d bytes for %d polls (%v)", len(b), len(polls), err)
	}
	runtime.KeepAlive(polls)
}
