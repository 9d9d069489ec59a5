package jwks

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
)

// judgedAlike fails when a check, under a profile, reaches another verdict
// on the redacted body (probe.RedactJWKS) than on the body as served.
func judgedAlike(t *testing.T, body []byte) {
	t.Helper()
	redacted := probe.RedactJWKS(body)
	for _, p := range check.AllProfiles {
		served, recorded := target(string(p), body), target(string(p), redacted)
		for _, c := range Checks() {
			if a, b := c.Judge(served), c.Judge(recorded); a.Status != b.Status {
				t.Errorf("%s (%s): %s %q as served, %s %q redacted\nbody %q", c.ID, p, a.Status, a.Message, b.Status, b.Message, body)
			}
		}
	}
}

// TestRedactedJudgedAlike: keys that leak private material, well-formed or
// not, and the FuzzJWKS corpus are judged alike redacted.
func TestRedactedJudgedAlike(t *testing.T) {
	k := keys(t)
	rsaPriv := rsaJWK(&k.rsa.PublicKey, "k1").with("d", b64(k.rsa.D.Bytes()), "p", b64(k.rsa.Primes[0].Bytes()),
		"q", b64(k.rsa.Primes[1].Bytes()), "dp", b64(k.rsa.Precomputed.Dp.Bytes()), "dq", b64(k.rsa.Precomputed.Dq.Bytes()),
		"qi", b64(k.rsa.Precomputed.Qinv.Bytes()))
	ec := ecJWK(&k.p256.PublicKey, "e1")
	bodies := [][]byte{
		setBody(rsaPriv),
		setBody(rsaPriv, rsaPriv.with("kid", "")), // a PIW copy
		setBody(ec.with("d", b64(k.p256.D.Bytes()))),
		setBody(edJWK(k.ed.Public().(ed25519.PublicKey), "o1").with("d", b64(k.ed.Seed()))),
		setBody(rsaPriv.with("d", b64(k.rsa.D.Bytes())+"=", "p", "a+b/", "q", "", "dp", 12345, "dq", nil, "oth", []any{map[string]any{"r": "AA"}})),
		setBody(rsaJWK(&k.rsa.PublicKey, "k1"), jwk{"kty": "oct", "kid": "h", "k": b64([]byte("secret")), "alg": "HS256"}),
		setBody(jwk{"kty": "oct", "kid": "h"}, jwk{"kty": "oct", "k": "AA="}, jwk{"kty": "oct", "k": 1}),
		[]byte(`{"kty":"RSA","d":"AAAA"}`), []byte(`{"keys":{"kty":"RSA","d":"AAAA"}}`),
	}
	corpus, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzJWKS", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range corpus {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		_, lit, _ := strings.Cut(strings.TrimSpace(string(b)), "\n[]byte(")
		s, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		bodies = append(bodies, []byte(s))
	}
	for _, body := range bodies {
		judgedAlike(t, body)
	}
}

// FuzzRedacted: every check reaches the same verdict on a redacted body.
func FuzzRedacted(f *testing.F) {
	for _, seed := range []string{
		`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AAAA","p":"AA=","q":1}]}`,
		`{"keys":[{"kty":"oct","k":"AAAA","kid":"a"},{"kty":"oct","k":"AAAB","kid":"a"}]}`,
		`{"kty":"EC","d":"AAAA"}`, `{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(judgedAlike)
}
