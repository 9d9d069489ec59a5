package fetch

import (
	"context"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// hostile starts a plain-HTTP test server with handler h.
func hostile(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestGetHostileServers(t *testing.T) {
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() { // accept and never answer
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	tests := []struct {
		name    string
		url     string
		opts    Options
		wantErr string
		hops    int
	}{
		{
			name:    "never answers",
			url:     "http://" + silent.Addr().String() + "/",
			opts:    Options{ResponseHeaderTimeout: 300 * time.Millisecond},
			wantErr: "timeout",
		},
		{
			name: "drips bytes",
			url: hostile(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(200)
				for i := 0; i < 100; i++ {
					select {
					case <-r.Context().Done():
						return
					case <-time.After(50 * time.Millisecond):
					}
					w.Write([]byte("{"))
					w.(http.Flusher).Flush()
				}
			}),
			opts:    Options{RequestTimeout: 400 * time.Millisecond},
			wantErr: "deadline exceeded",
			hops:    1,
		},
		{
			name: "50 MiB body",
			url: hostile(t, func(w http.ResponseWriter, r *http.Request) {
				chunk := []byte(strings.Repeat("a", 1<<20))
				for i := 0; i < 50; i++ {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}),
			wantErr: "larger than the 1048576-byte cap",
			hops:    1,
		},
		{
			name: "redirect loop",
			url: hostile(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/again", http.StatusFound)
			}),
			wantErr: "stopped after 5 redirects",
			hops:    6,
		},
		{
			name: "bad redirect location",
			url: hostile(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Location", "http://[::1")
				w.WriteHeader(http.StatusMovedPermanently)
			}),
			wantErr: "bad redirect Location",
			hops:    1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := New(tt.opts).Get(context.Background(), tt.url, "")
			if !strings.Contains(ex.Err, tt.wantErr) {
				t.Errorf("Err = %q, want it to contain %q", ex.Err, tt.wantErr)
			}
			if len(ex.Hops) != tt.hops {
				t.Errorf("hops = %d, want %d", len(ex.Hops), tt.hops)
			}
			for _, h := range ex.Hops {
				if int64(len(h.Body)) > DefaultMaxBody {
					t.Errorf("kept %d bytes of body, over the cap", len(h.Body))
				}
			}
		})
	}
}

func TestGetRecordsRedirectsAndHeaders(t *testing.T) {
	var ua, cookie string
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.SetCookie(w, &http.Cookie{Name: "c", Value: "1"})
			http.Redirect(w, r, "/end", http.StatusMovedPermanently)
			return
		}
		ua = r.UserAgent()
		cookie = r.Header.Get("Cookie")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	})
	ex := New(Options{UserAgent: "oidc-conformance/test"}).Get(context.Background(), url+"/start", "application/json")
	if ex.Err != "" || len(ex.Hops) != 2 {
		t.Fatalf("Err %q, %d hops; want none and 2", ex.Err, len(ex.Hops))
	}
	if ex.Hops[0].Status != 301 || ex.Final().Status != 200 || string(ex.Final().Body) != "{}" {
		t.Errorf("hops = %+v", ex.Hops)
	}
	if ua != "oidc-conformance/test" {
		t.Errorf("User-Agent %q", ua)
	}
	if cookie != "" {
		t.Errorf("sent a cookie %q; the client keeps none", cookie)
	}
}

func TestGetNoRedirectsWhenNegative(t *testing.T) {
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/x", http.StatusFound)
	})
	ex := New(Options{MaxRedirects: -1}).Get(context.Background(), url, "")
	if len(ex.Hops) != 1 || !strings.Contains(ex.Err, "stopped after 0 redirects") {
		t.Errorf("hops %d, err %q", len(ex.Hops), ex.Err)
	}
}

func TestGetTLSRecordedAndResolvePinned(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	// httptest's certificate is for example.com and 127.0.0.1.
	c := New(Options{
		Resolve:    map[string][]string{"example.com:443": {srv.Listener.Addr().String()}},
		ExtraRoots: []*x509.Certificate{srv.Certificate()},
	})
	ex := c.Get(context.Background(), "https://example.com/", "")
	h := ex.Final()
	if ex.Err != "" || h == nil || h.TLS == nil {
		t.Fatalf("Err %q, hop %+v", ex.Err, h)
	}
	if !h.TLS.Verified || h.TLS.PubliclyTrusted || h.TLS.ServerName != "example.com" || len(h.TLS.Chain) == 0 {
		t.Errorf("TLS = %+v", h.TLS)
	}
	// Without the extra root the documents are still read; the chain is not verified.
	ex = New(Options{}).Get(context.Background(), srv.URL, "")
	if h := ex.Final(); ex.Err != "" || h == nil || h.TLS == nil || h.TLS.Verified || h.TLS.VerifyError == "" {
		t.Errorf("untrusted chain: err %q hop %+v", ex.Err, h)
	}
}

func TestGetContextCancelled(t *testing.T) {
	url := hostile(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	ex := New(Options{}).Get(ctx, url, "")
	if !strings.Contains(ex.Err, "canceled") {
		t.Errorf("Err = %q, want a cancellation", ex.Err)
	}
}

// TestDowngradeRefused: a redirect from https to http is not followed, and
// the exchange says why.
func TestDowngradeRefused(t *testing.T) {
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		w.Write([]byte(`{}`))
	}))
	defer plain.Close()
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/doc", http.StatusFound)
	}))
	defer tls.Close()
	c := New(Options{})
	defer c.CloseIdle()
	ex := c.Get(context.Background(), tls.URL+"/doc", "")
	if !strings.Contains(ex.Err, "downgrade from https to http") || ex.Failure != evidence.FailDowngrade || len(ex.Hops) != 1 || plainHits.Load() != 0 {
		t.Errorf("err %q, %d hops, %d plain fetches; want the downgrade refused before any http request", ex.Err, len(ex.Hops), plainHits.Load())
	}
	for _, tt := range []struct {
		from, to string
		refused  bool
	}{
		{"https://a/x", "http://a/x", true},
		{"https://a/x", "HTTP://a/x", true},
		{"https://a/x", "ftp://a/x", true},
		{"https://a/x", "https://b/x", false},
		{"http://a/x", "http://b/x", false},
	} {
		if got := Downgrade(tt.from, tt.to) != nil; got != tt.refused {
			t.Errorf("Downgrade(%s, %s) refused %v, want %v", tt.from, tt.to, got, tt.refused)
		}
	}
}

// TestHandshakeThenSilence: a server that completes the TLS handshake and
// then never answers is not reported as a TLS failure.
func TestHandshakeThenSilence(t *testing.T) {
	hold := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack() // never answered
		if err != nil {
			return
		}
		defer c.Close()
		<-hold
	}))
	defer srv.Close()
	defer close(hold)
	c := New(Options{ResponseHeaderTimeout: 200 * time.Millisecond, RequestTimeout: time.Second})
	defer c.CloseIdle()
	ex := c.Get(context.Background(), srv.URL, "")
	if !strings.Contains(ex.Err, "the TLS handshake succeeded, then") {
		t.Errorf("Err = %q, want it to say the handshake succeeded", ex.Err)
	}
}
