package jwks

import (
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// FuzzJWKS feeds arbitrary bodies to every JWKS judgement under every
// profile: none may panic, and each must reach a verdict.
//
// The seeds with real keys (an RSA and a P-256 key set, the PIW duplicate, a
// padded exponent with a private member, an x5c) are files in
// testdata/fuzz/FuzzJWKS: generating keys here would run in every fuzz
// worker under coverage instrumentation, where RSA key generation takes
// longer than a short fuzz run.
func FuzzJWKS(f *testing.F) {
	for _, seed := range [][]byte{
		setBody(jwk{"kty": "OKP", "crv": "Ed25519", "x": "AA"}, jwk{"kty": "oct", "k": ""}),
		setBody(jwk{"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA", "alg": "ES512"}),
		[]byte(`{"keys":[]}`), []byte(`{"keys":null}`), []byte(`{"keys":[1,null,"x",[]]}`),
		[]byte(`{"kty":"RSA"}`), []byte(`{"keys":[{"kty":1,"kid":{},"use":[],"x5c":"x","key_ops":[1]}]}`),
		[]byte(`{"keys":[{"kty":"RSA","n":"AA","e":"AAAAAAAAAAAAAAAA"}]}`),
		[]byte(""), []byte("null"), []byte("{"),
	} {
		f.Add(seed)
	}
	cat := Checks()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, p := range check.AllProfiles {
			tg := target(string(p), body)
			for _, c := range cat {
				if got := c.Judge(tg); got.Status == "" || got.Message == "" {
					t.Fatalf("%s (%s): empty finding %+v", c.ID, p, got)
				}
			}
		}
		if s, err := Parse(body); err == nil {
			for _, key := range s.Keys {
				_ = key.Material()
			}
		}
	})
}
