package fetch

import (
	"context"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestGetVia(t *testing.T) {
	// The other host speaks TLS too: a redirect to http is refused (Downgrade).
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("other host")) }))
	defer other.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("plain")) }))
	defer plain.Close()
	var host, sni string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, other.URL+"/b", http.StatusFound)
			return
		}
		host, sni = r.Host, r.TLS.ServerName
		w.Write([]byte(`{"keys":[]}`))
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	// httptest's certificate is for example.com; the name does not resolve
	// here, so only GetVia reaches it.
	base := "https://example.com:" + port
	c := New(Options{ExtraRoots: []*x509.Certificate{srv.Certificate()}, DialTimeout: time.Second})

	tests := []struct {
		name, url, addr string
		hops            int
		body, err       string
	}{
		{name: "keeps the host name", url: base + "/keys", addr: addr, hops: 1, body: `{"keys":[]}`},
		{name: "redirect to another host is dialled as usual", url: base + "/moved", addr: addr, hops: 2, body: "other host"},
		{name: "address speaks no TLS", url: base + "/keys", addr: plain.Listener.Addr().String(), err: "tls"},
		{name: "bad url", url: "https://[::1/keys", addr: addr, err: "parse url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := c.GetVia(context.Background(), tt.url, "application/json", tt.addr)
			if tt.err != "" {
				if !strings.Contains(strings.ToLower(ex.Err), tt.err) {
					t.Errorf("Err = %q, want it to contain %q", ex.Err, tt.err)
				}
				return
			}
			h := ex.Final()
			if ex.Err != "" || len(ex.Hops) != tt.hops || string(h.Body) != tt.body {
				t.Fatalf("Err %q, %d hops, body %q; want %d hops, body %q", ex.Err, len(ex.Hops), h.Body, tt.hops, tt.body)
			}
			first := ex.Hops[0].TLS
			if first == nil || !first.Verified || first.ServerName != "example.com" {
				t.Errorf("TLS = %+v, want verified for example.com", first)
			}
			if tt.hops == 1 && (host != "example.com:"+port || sni != "example.com") {
				t.Errorf("server saw Host %q and SNI %q", host, sni)
			}
		})
	}
}

func TestAddresses(t *testing.T) {
	c := New(Options{
		Resolve:     map[string][]string{"keys.test:443": {"192.0.2.1", "192.0.2.2:8443", "2001:db8::1"}},
		DialTimeout: 500 * time.Millisecond,
	})
	tests := []struct {
		name, hostport string
		want           []string
		err            string
	}{
		{name: "pinned", hostport: "keys.test:443", want: []string{"192.0.2.1:443", "192.0.2.2:8443", "[2001:db8::1]:443"}},
		{name: "ip literal", hostport: "[2001:db8::2]:443", want: []string{"[2001:db8::2]:443"}},
		{name: "hosts file", hostport: "localhost:8443", want: []string{"127.0.0.1:8443"}},
		{name: "no port", hostport: "keys.test", err: "missing port"},
		{name: "does not resolve", hostport: "no-such-host.invalid:443", err: "addresses of no-such-host.invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Addresses(context.Background(), tt.hostport)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Addresses = %v, %v; want an error containing %q", got, err, tt.err)
				}
				return
			}
			if err != nil || !containsAll(got, tt.want) {
				t.Errorf("Addresses = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func containsAll(got, want []string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return len(got) > 0
}
