package suites_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// TestHostileIssuers probes servers that misbehave at the HTTP level: each
// probe ends within its bounds, nothing panics, memory stays bounded, and the
// check that explains the problem fails.
func TestHostileIssuers(t *testing.T) {
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	tls := func(h http.HandlerFunc) string {
		srv := httptest.NewTLSServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	tests := []struct {
		name   string
		issuer string
		fails  []string
	}{
		{"never answers", "https://" + silent.Addr().String(), []string{"DISC-001"}},
		{"drips bytes", tls(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			for {
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}), []string{"DISC-001"}},
		{"50 MiB", tls(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"issuer":"`))
			chunk := []byte(strings.Repeat("a", 1<<20))
			for i := 0; i < 50; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}), []string{"DISC-004"}},
		{"redirect loop", tls(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
		}), []string{"DISC-001"}},
		{"HTML error page", tls(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("<html><body>Service Unavailable</body></html>"))
		}), []string{"DISC-001"}},
	}
	c := fetch.New(fetch.Options{ResponseHeaderTimeout: 500 * time.Millisecond, RequestTimeout: time.Second})
	defer c.CloseIdle()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			tg := probe.Target(context.Background(), c, probe.Job{Input: evidence.Input{Issuer: tt.issuer, Profile: "oidc"}})
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("probe took %s, over its bounds", d)
			}
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 16<<20 {
				t.Errorf("heap grew %d MiB", grew>>20)
			}
			var failed []string
			for id, f := range runner.JudgeAll(tg, suites.Catalog()) {
				if f.Status == check.Failed || f.Status == check.Warning {
					failed = append(failed, id)
				}
			}
			sort.Strings(failed)
			for _, id := range tt.fails {
				if !strings.Contains(strings.Join(failed, " "), id) {
					t.Errorf("found %v, want %s among them", failed, id)
				}
			}
		})
	}
}
