package claims

// Test-only minting of real EKS-shaped tokens with jwx v3 and RSA 2048 keys,
// good and broken. The fixture issuer mints the same tokens for real
// (issuer.Server.MintToken and the token-* defects, judged end to end by the
// defect matrix in package suites); these helpers stay because the judge
// tests here need what the fixture deliberately does not offer: any edit of
// the claims, at a fixed time for a fixed issuer (so messages are exact), and
// headers no defect produces (RS384 over an RS256 key).

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"
)

const (
	// mintIssuer is an EKS issuer: https://oidc.eks.<region>.amazonaws.com/id/<HEX32>.
	mintIssuer = "https://oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
	// mintKid is an EKS kid: 40 hex characters.
	mintKid = "4c1f9b2d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c"
)

// mintNow is the probe time of every minted token; iat is a minute before.
var mintNow = time.Unix(1_760_000_000, 0).UTC()

// mintKey is generated once per test binary (RSA 2048 is slow under -race).
var mintKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// eksClaims are the claims of a projected service-account token as EKS
// issues it: aud sts.amazonaws.com, exp = iat + 86400, the kubernetes.io block.
func eksClaims() map[string]any {
	iat := mintNow.Add(-time.Minute).Unix()
	return map[string]any{
		"iss": mintIssuer,
		"sub": "system:serviceaccount:default:my-sa",
		"aud": []string{"sts.amazonaws.com"},
		"iat": iat,
		"nbf": iat,
		"exp": iat + 86400,
		"jti": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
		"kubernetes.io": map[string]any{
			"namespace":      "default",
			"node":           map[string]any{"name": "ip-10-0-1-23.us-west-2.compute.internal", "uid": "1a2b3c4d-0000-4000-8000-000000000001"},
			"pod":            map[string]any{"name": "app-7d9f8b6c5d-x2x4z", "uid": "1a2b3c4d-0000-4000-8000-000000000002"},
			"serviceaccount": map[string]any{"name": "my-sa", "uid": "1a2b3c4d-0000-4000-8000-000000000003"},
		},
	}
}

// mintJWKS is the issuer's key set, as EKS serves it.
func mintJWKS(t testing.TB) []byte {
	t.Helper()
	k, err := jwk.Import(&mintKey().PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{jwk.KeyIDKey: mintKid, jwk.AlgorithmKey: "RS256", jwk.KeyUsageKey: "sig"} {
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

// mint signs claims with alg and key (kid in the header when not empty).
func mint(t testing.TB, alg jwa.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
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

// mintRS256 signs claims with the issuer's key and kid.
func mintRS256(t testing.TB, claims map[string]any) string {
	return mint(t, jwa.RS256(), mintKey(), mintKid, claims)
}

// unsigned is an alg "none" token (jwx refuses to mint one).
func unsigned(t testing.TB, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","kid":"`+mintKid+`"}`)) + "." + enc(payload) + "."
}

// publicKeyPEM is the issuer's public key as PEM: the HMAC secret of the
// algorithm-confusion attack (HS256 "signed" with what the verifier publishes).
func publicKeyPEM(t testing.TB) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&mintKey().PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// tamper changes one character in the middle of the signature.
func tamper(raw string) string {
	i := strings.LastIndexByte(raw, '.') + 10
	c := byte('A')
	if raw[i] == 'A' {
		c = 'B'
	}
	return raw[:i] + string(c) + raw[i+1:]
}

// with returns eksClaims edited by edit.
func with(edit func(c map[string]any)) map[string]any {
	c := eksClaims()
	edit(c)
	return c
}
