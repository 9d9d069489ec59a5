package fetch

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// TestFailureKinds: a failed Get says what kind of failure it was, and a
// deadline is a timeout whichever of the equal timers fires first.
func TestFailureKinds(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + closed.Addr().String() + "/"
	closed.Close()
	slow := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	big := hostile(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(strings.Repeat("x", 2048))) })
	loop := hostile(t, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path, http.StatusFound) })
	plain := strings.Replace(big, "http://", "https://", 1) // TLS to a plain-HTTP server
	equal := 100 * time.Millisecond
	tests := []struct {
		name string
		url  string
		opts Options
		want evidence.FailureKind
	}{
		{"refused", refusedURL, Options{}, evidence.FailRefused},
		{"equal timeouts race", slow, Options{RequestTimeout: equal, ResponseHeaderTimeout: equal}, evidence.FailTimeout},
		{"header timeout first", slow, Options{RequestTimeout: time.Second, ResponseHeaderTimeout: equal}, evidence.FailTimeout},
		{"request timeout first", slow, Options{RequestTimeout: equal, ResponseHeaderTimeout: time.Second}, evidence.FailTimeout},
		{"too large", big, Options{MaxBody: 100}, evidence.FailTooLarge},
		{"redirect loop", loop, Options{MaxRedirects: 2}, evidence.FailRedirect},
		{"not TLS", plain, Options{}, evidence.FailTLS},
		{"bad URL", "http://[::1", Options{}, evidence.FailRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(tt.opts)
			defer c.CloseIdle()
			ex := c.Get(context.Background(), tt.url, "")
			if ex.Err == "" || ex.Failure != tt.want {
				t.Errorf("Err %q, Failure %q; want a %q failure", ex.Err, ex.Failure, tt.want)
			}
		})
	}
	t.Run("caller's deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if ex := New(Options{}).Get(ctx, slow, ""); ex.Failure != evidence.FailTimeout {
			t.Errorf("Failure %q (%s), want timeout", ex.Failure, ex.Err)
		}
	})
	t.Run("success has no failure", func(t *testing.T) {
		if ex := New(Options{}).Get(context.Background(), big, ""); ex.Err != "" || ex.Failure != "" {
			t.Errorf("Err %q, Failure %q", ex.Err, ex.Failure)
		}
	})
}
