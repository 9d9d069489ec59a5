package stsrules

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

const (
	testIssuer = "https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
	testKid    = "4c1f9b2d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c"
	testSub    = "system:serviceaccount:default:app"
)

// Keys are generated once per test binary: RSA is slow under -race.
var (
	rsaKey   = sync.OnceValue(func() *rsa.PrivateKey { return must(rsa.GenerateKey(rand.Reader, 2048)) })
	otherRSA = sync.OnceValue(func() *rsa.PrivateKey { return must(rsa.GenerateKey(rand.Reader, 2048)) })
	ecKeys   = sync.OnceValue(func() map[string]*ecdsa.PrivateKey {
		return map[string]*ecdsa.PrivateKey{
			"ES256": must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader)),
			"ES384": must(ecdsa.GenerateKey(elliptic.P384(), rand.Reader)),
			"ES512": must(ecdsa.GenerateKey(elliptic.P521(), rand.Reader)),
		}
	})
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// testNow is the clock of the tests.
var testNow = time.Unix(1_760_000_000, 0)

// goodClaims are the claims of an EKS-shaped projected token valid at testNow.
func goodClaims() map[string]any {
	return map[string]any{
		"iss": testIssuer,
		"sub": testSub,
		"aud": []string{"sts.amazonaws.com"},
		"iat": testNow.Add(-time.Hour).Unix(),
		"nbf": testNow.Add(-time.Hour).Unix(),
		"exp": testNow.Add(23 * time.Hour).Unix(),
		"kubernetes.io": map[string]any{
			"namespace":      "default",
			"serviceaccount": map[string]any{"name": "app", "uid": "8d5e1f7e-0000-4000-8000-000000000000"},
		},
	}
}

// signRaw signs payload with key under alg; kid goes in the header unless
// it is nil.
func signRaw(t testing.TB, alg string, key any, kid *string, payload []byte) string {
	t.Helper()
	hdr := jws.NewHeaders()
	if kid != nil {
		if err := hdr.Set(jws.KeyIDKey, *kid); err != nil {
			t.Fatal(err)
		}
	}
	a, ok := jwa.LookupSignatureAlgorithm(alg)
	if !ok {
		t.Fatalf("unknown alg %s", alg)
	}
	b, err := jws.Sign(payload, jws.WithKey(a, key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return string(b)
}

// sign signs claims with the RSA test key, RS256, kid testKid.
func sign(t testing.TB, claims map[string]any) string {
	t.Helper()
	kid := testKid
	return signRaw(t, "RS256", rsaKey(), &kid, mustJSON(t, claims))
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jwks builds a JWKS document publishing the public halves of keys under
// their kids, with alg when not empty.
func jwks(t testing.TB, keys ...publish) []byte {
	t.Helper()
	set := jwk.NewSet()
	for _, p := range keys {
		k, err := jwk.PublicKeyOf(p.key)
		if err != nil {
			t.Fatal(err)
		}
		if p.kid != nil {
			_ = k.Set(jwk.KeyIDKey, *p.kid)
		}
		if p.alg != "" {
			_ = k.Set(jwk.AlgorithmKey, p.alg)
		}
		if p.use != "" {
			_ = k.Set(jwk.KeyUsageKey, p.use)
		}
		if err := set.AddKey(k); err != nil {
			t.Fatal(err)
		}
	}
	return mustJSON(t, set)
}

// publish is one key to put in a test JWKS.
type publish struct {
	key      any
	kid      *string
	alg, use string
}

func ptr(s string) *string { return &s }

// testProvider is the provider of testIssuer.
var testProvider = Provider{
	URL:       "oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF",
	ClientIDs: []string{"sts.amazonaws.com"},
}

// verifier returns a verifier of testProvider whose keys are the RSA test
// key under testKid and the EC keys under their algorithm names.
func verifier(t testing.TB) *Verifier {
	t.Helper()
	pubs := []publish{{key: rsaKey(), kid: ptr(testKid), alg: "RS256"}, {key: rsaKey(), kid: ptr("rsa-any")}}
	for alg, k := range ecKeys() {
		pubs = append(pubs, publish{key: k, kid: ptr(alg), alg: alg})
	}
	keys, err := ParseJWKS(jwks(t, pubs...))
	if err != nil {
		t.Fatal(err)
	}
	return &Verifier{Providers: []Provider{testProvider}, Keys: StaticKeys(keys), Now: func() time.Time { return testNow }}
}
