package probe

import (
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

func TestDiscoveryURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://issuer.test", "https://issuer.test/.well-known/openid-configuration"},
		{"https://issuer.test/", "https://issuer.test/.well-known/openid-configuration"},
		{"https://issuer.test/id/X", "https://issuer.test/id/X/.well-known/openid-configuration"},
		{"https://issuer.test/a?q=1#f", "https://issuer.test/a/.well-known/openid-configuration"},
	} {
		if got := DiscoveryURL(tt.in); got != tt.want {
			t.Errorf("DiscoveryURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJWKSURI(t *testing.T) {
	ex := func(status int, body string) *evidence.Exchange {
		return &evidence.Exchange{Hops: []evidence.Hop{{Status: status, Body: []byte(body)}}}
	}
	for _, tt := range []struct {
		name       string
		ex         *evidence.Exchange
		uri, skips string
	}{
		{"good", ex(200, `{"jwks_uri":"https://h/keys"}`), "https://h/keys", ""},
		{"404", ex(404, `{"jwks_uri":"https://h/keys"}`), "", "no discovery document"},
		{"no fetch", &evidence.Exchange{Err: "refused"}, "", "no discovery document"},
		{"not json", ex(200, `<html>`), "", "not JSON"},
		{"missing", ex(200, `{}`), "", "no jwks_uri"},
		{"number", ex(200, `{"jwks_uri":3}`), "", "no jwks_uri"},
		{"relative", ex(200, `{"jwks_uri":"/keys"}`), "", "not an absolute URL"},
		{"http", ex(200, `{"jwks_uri":"http://h/keys"}`), "", "not https"},
	} {
		uri, reason := JWKSURI(tt.ex)
		if uri != tt.uri || (tt.skips == "") != (reason == "") || (tt.skips != "" && !strings.Contains(reason, tt.skips)) {
			t.Errorf("%s: JWKSURI = %q, %q; want %q, %q", tt.name, uri, reason, tt.uri, tt.skips)
		}
	}
}
