package stsrules

import "testing"

func TestDiscoveryURL(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"https://issuer.test", "https://issuer.test/.well-known/openid-configuration"},
		{"https://issuer.test/", "https://issuer.test/.well-known/openid-configuration"},
		{"https://issuer.test/id/X", "https://issuer.test/id/X/.well-known/openid-configuration"},
		{"https://issuer.test/id/X/", "https://issuer.test/id/X/.well-known/openid-configuration"},
		{"https://issuer.test:8443/a", "https://issuer.test:8443/a/.well-known/openid-configuration"},
		{"https://issuer.test/a?q=1#f", "https://issuer.test/a/.well-known/openid-configuration"},
		{"https://issuer.test/#f", "https://issuer.test/.well-known/openid-configuration"},
		{"https://issuer.test/a%20b", "https://issuer.test/a%20b/.well-known/openid-configuration"},
		{"https://issuer.test/%zz/", "https://issuer.test/%zz/.well-known/openid-configuration"}, // not a URL: trimmed as text
	} {
		if got := DiscoveryURL(tt.in); got != tt.want {
			t.Errorf("DiscoveryURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
