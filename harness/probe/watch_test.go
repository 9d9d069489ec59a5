package probe

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// keyServer serves a key set over TLS whose answer to the n-th request
// (from 1) is answer(n).
func keyServer(t *testing.T, answer func(n int64) (int, string)) (*httptest.Server, *fetch.Client) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status, body := answer(n.Add(1))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	c := fetch.New(fetch.Options{ExtraRoots: []*x509.Certificate{srv.Certificate()}, RequestTimeout: time.Second})
	t.Cleanup(c.CloseIdle)
	return srv, c
}

const (
	setA  = `{"keys":[{"kty":"EC","kid":"A","crv":"P-256","x":"1","y":"1"}]}`
	setAB = `{"keys":[{"kid":"B","kty":"EC","crv":"P-256","x":"2","y":"2"}, {"crv":"P-256","kid":"A","kty":"EC","x":"1","y":"1"}]}`
	setBA = `{"keys":[{"kty":"EC","kid":"A","crv":"P-256","x":"1","y":"1"},{"kty":"EC","kid":"B","crv":"P-256","x":"2","y":"2"}]}`
)

func TestWatch(t *testing.T) {
	tests := []struct {
		name    string
		answer  func(n int64) (int, string)
		opts    WatchOptions
		polls   int // polls start at 0, Interval, 2 Interval, ... before Duration
		least   int // fewer polls than planned are made on a loaded machine: the durations leave room for least
		changes int
	}{
		{name: "rotation", answer: func(n int64) (int, string) {
			switch {
			case n <= 2:
				return 200, setA
			case n == 3:
				return 200, setAB
			}
			return 200, setBA // the same set, reordered: not a change
		}, opts: WatchOptions{Duration: time.Second, Interval: 30 * time.Millisecond}, polls: 34, least: 4, changes: 1},
		{name: "a failed poll is not a change", answer: func(n int64) (int, string) {
			if n == 2 {
				return 503, "busy"
			}
			return 200, setA
		}, opts: WatchOptions{Duration: 600 * time.Millisecond, Interval: 30 * time.Millisecond}, polls: 21, least: 3, changes: 0},
		{name: "no duration is one poll", answer: func(int64) (int, string) { return 200, setA },
			opts: WatchOptions{Interval: 10 * time.Millisecond}, polls: 1, least: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := keyServer(t, tt.answer)
			var progress []WatchProgress
			tt.opts.Progress = func(p WatchProgress) { progress = append(progress, p) }
			polls := Watch(context.Background(), c, srv.URL+"/keys", tt.opts)
			if len(polls) < tt.least || len(polls) > tt.polls {
				t.Fatalf("%d polls, want %d to %d", len(polls), tt.least, tt.polls)
			}
			if len(progress) != len(polls) {
				t.Fatalf("%d progress reports for %d polls", len(progress), len(polls))
			}
			last := progress[len(progress)-1]
			if last.Changes != tt.changes || last.Polls != len(polls) || last.Last == nil || last.Last.At != polls[len(polls)-1].At {
				t.Errorf("last progress %+v, want %d changes", last, tt.changes)
			}
			for i := 1; i < len(polls); i++ {
				if !polls[i].At.After(polls[i-1].At) || progress[i].Left > progress[i-1].Left {
					t.Errorf("poll %d at %s is not after %s, or time left grew", i, polls[i].At, polls[i-1].At)
				}
			}
		})
	}
}

func TestWatchCancelled(t *testing.T) {
	srv, c := keyServer(t, func(int64) (int, string) { return 200, setA })
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	time.AfterFunc(150*time.Millisecond, cancel)
	polls := Watch(ctx, c, srv.URL+"/keys", WatchOptions{Duration: time.Minute, Interval: 20 * time.Millisecond})
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("Watch returned %s after cancel", waited)
	}
	if len(polls) < 2 {
		t.Fatalf("%d polls before cancel, want several", len(polls))
	}
	for i, p := range polls {
		if p.JWKS.Err != "" || p.JWKS.Final() == nil {
			t.Errorf("poll %d: %q; a poll cut short must be left out", i, p.JWKS.Err)
		}
	}
}

func TestWatchSlowServerIsCancelled(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	c := fetch.New(fetch.Options{ExtraRoots: []*x509.Certificate{srv.Certificate()}})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if polls := Watch(ctx, c, srv.URL, WatchOptions{Duration: time.Minute, Interval: 10 * time.Millisecond}); len(polls) != 0 {
		t.Errorf("%d polls, want none (the only one was cut short)", len(polls))
	}
}

func TestKeySetFingerprint(t *testing.T) {
	srv, c := keyServer(t, func(n int64) (int, string) {
		return 200, []string{setAB, setBA, setA, `{"keys":{}}`, `[]`}[(n-1)%5]
	})
	var fps []string
	var oks []bool
	for range 5 {
		fp, ok := keySetFingerprint(c.Get(context.Background(), srv.URL, JWKSAccept))
		fps, oks = append(fps, fp), append(oks, ok)
	}
	if fps[0] != fps[1] || fps[0] == fps[2] || !oks[0] || !oks[2] {
		t.Errorf("fingerprints %q", fps)
	}
	if oks[3] || oks[4] {
		t.Errorf("a body that is not a key set has a fingerprint: %v", oks)
	}
	if strings.Count(fps[0], ",") != 1 {
		t.Errorf("fingerprint of two keys = %q", fps[0])
	}
}
