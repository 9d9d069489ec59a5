package probe

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// TestFailedJWKSFetchIsNotRepeated: repeats (ROT-004) are kept for a good
// first fetch only; when the first fails they are called off, none kept.
func TestFailedJWKSFetchIsNotRepeated(t *testing.T) {
	for _, tt := range []struct {
		name    string
		status  int
		fetches int64
	}{
		{"good", 200, RepeatFetches},
		{"failed", 503, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var jwksHits atomic.Int64
			var srv *httptest.Server
			srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/keys" {
					jwksHits.Add(1)
					w.WriteHeader(tt.status)
					w.Write([]byte(setA))
					return
				}
				w.Write([]byte(`{"jwks_uri":"` + srv.URL + `/keys"}`))
			}))
			defer srv.Close()
			c := fetch.New(fetch.Options{ExtraRoots: []*x509.Certificate{srv.Certificate()}, RequestTimeout: time.Second})
			defer c.CloseIdle()
			tg := Target(context.Background(), c, Job{Input: evidence.Input{Issuer: srv.URL}})
			if len(tg.Repeats) != int(tt.fetches) || jwksHits.Load() > 1+RepeatFetches {
				t.Errorf("%d repeats kept of %d fetches, want %d", len(tg.Repeats), jwksHits.Load(), tt.fetches)
			}
		})
	}
}
