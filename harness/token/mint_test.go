package token

// Test-only minting of real tokens with jwx v3. The fixture issuer
// (issuer.Server.MintToken) mints EKS tokens signed RS256 by its published
// key; these helpers stay because the verifier tests here sign arbitrary
// payloads with RSA and EC keys and publish them under chosen kids and algs.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"sync"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

const (
	testKid    = "4c1f9b2d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c"
	testIssuer = "https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
	testClaims = `{"aud":["sts.amazonaws.com"],"exp":1760086340,"iat":1759999940,"iss":"` + testIssuer +
		`","nbf":1759999940,"sub":"system:serviceaccount:default:my-sa"}`
)

// Keys are generated once per test binary: RSA 2048 is slow under -race.
var (
	testRSA = sync.OnceValue(func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	})
	testEC = sync.OnceValue(func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		return k
	})
)

// sign signs payload with key under alg, with kid in the header when not empty.
func sign(t testing.TB, alg jwa.SignatureAlgorithm, key any, kid string, payload []byte) string {
	t.Helper()
	hdr := jws.NewHeaders()
	if kid != "" {
		if err := hdr.Set(jws.KeyIDKey, kid); err != nil {
			t.Fatal(err)
		}
	}
	b, err := jws.Sign(payload, jws.WithKey(alg, key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return string(b)
}

// keySet is a JWKS holding pub with kid and, when not empty, alg.
func keySet(t testing.TB, pub any, kid, alg string) []byte {
	t.Helper()
	k, err := jwk.Import(pub)
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]any{jwk.KeyIDKey: kid, jwk.KeyUsageKey: "sig"}
	if alg != "" {
		set[jwk.AlgorithmKey] = alg
	}
	for name, v := range set {
		if err := k.Set(name, v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(map[string]any{"keys": []jwk.Key{k}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
