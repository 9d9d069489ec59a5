package probe

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

func TestReplicas(t *testing.T) {
	serve := func(body string) *httptest.Server {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Host != "example.com" {
				http.Error(w, "wrong host "+r.Host, http.StatusMisdirectedRequest)
				return
			}
			w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	a, b := serve(setA), serve(setAB)
	// httptest's certificate is for example.com; both replicas serve it.
	roots := []*x509.Certificate{a.Certificate(), b.Certificate()}
	addrA, addrB := a.Listener.Addr().String(), b.Listener.Addr().String()
	c := fetch.New(fetch.Options{ExtraRoots: roots, Resolve: map[string][]string{"example.com:443": {addrA, addrB}}})
	defer c.CloseIdle()

	got := Replicas(context.Background(), c, "https://example.com/keys")
	if len(got) != 2 || got[0].Addr != addrA || got[1].Addr != addrB {
		t.Fatalf("replicas %+v, want %s then %s", got, addrA, addrB)
	}
	for i, want := range []string{setA, setAB} {
		h := got[i].JWKS.Final()
		if got[i].JWKS.Err != "" || h == nil || string(h.Body) != want || h.TLS == nil || !h.TLS.Verified {
			t.Errorf("replica %s: err %q, hop %+v", got[i].Addr, got[i].JWKS.Err, h)
		}
	}

	if got := Replicas(context.Background(), c, "https://example.com:8443/keys"); len(got) != 0 {
		t.Errorf("an unresolvable host gave replicas %+v", got)
	}
	if got := Replicas(context.Background(), c, "::"); got != nil {
		t.Errorf("a bad URL gave replicas %+v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := Replicas(ctx, c, "https://example.com/keys"); len(got) != 0 {
		t.Errorf("a cancelled context gave replicas %+v", got)
	}
}

func TestRepeats(t *testing.T) {
	srv, c := keyServer(t, func(n int64) (int, string) { return 200, setA })
	if got := Repeats(context.Background(), c, srv.URL, 3); len(got) != 3 || got[2].Final() == nil {
		t.Errorf("Repeats(3) = %d fetches", len(got))
	}
	if got := Repeats(context.Background(), c, srv.URL, 0); got != nil {
		t.Errorf("Repeats(0) = %v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := Repeats(ctx, c, srv.URL, 3); len(got) != 0 {
		t.Errorf("Repeats with a cancelled context = %d fetches", len(got))
	}
}
