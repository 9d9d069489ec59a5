package jwks

import (
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// FuzzJWKS feeds arbitrary bodies to every JWKS judgement under every
// profile: none may panic, and each must reach a verdict.
func FuzzJWKS(f *testing.F) {
	k := keys(f)
	good := rsaJWK(&k.rsa.PublicKey, "k1")
	ec := ecJWK(&k.p256.PublicKey, "e1")
	der := selfSigned(f, k.p256)
	for _, seed := range [][]byte{
		setBody(good, ec),
		setBody(good, good.with("kid", "")),
		setBody(good.with("e", "AQAB=", "d", "AQAB")),
		setBody(ec.with("x5c", []string{b64(der)}, "x5t", "AA")),
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
