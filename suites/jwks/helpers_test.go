package jwks

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// testKeys are generated once per test binary: RSA generation is slow under -race.
type testKeys struct {
	rsa, rsa2, rsa1024 *rsa.PrivateKey
	p256, p384         *ecdsa.PrivateKey
	ed                 ed25519.PrivateKey
}

var (
	keysOnce sync.Once
	keysVal  testKeys
)

func keys(t testing.TB) testKeys {
	t.Helper()
	keysOnce.Do(func() {
		must := func(err error) {
			if err != nil {
				panic(err)
			}
		}
		var err error
		keysVal.rsa, err = rsa.GenerateKey(rand.Reader, 2048)
		must(err)
		keysVal.rsa2, err = rsa.GenerateKey(rand.Reader, 2048)
		must(err)
		keysVal.rsa1024, err = rsa.GenerateKey(rand.Reader, 1024) //nolint:gosec // the weak key under test
		must(err)
		keysVal.p256, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		must(err)
		keysVal.p384, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		must(err)
		_, keysVal.ed, err = ed25519.GenerateKey(rand.Reader)
		must(err)
	})
	return keysVal
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// jwk is a JWK as a JSON object under construction.
type jwk map[string]any

func rsaJWK(pub *rsa.PublicKey, kid string) jwk {
	return jwk{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())}
}

func ecJWK(pub *ecdsa.PublicKey, kid string) jwk {
	size := (pub.Curve.Params().BitSize + 7) / 8
	alg := map[string]string{"P-256": "ES256", "P-384": "ES384"}[pub.Curve.Params().Name]
	return jwk{"kty": "EC", "kid": kid, "use": "sig", "alg": alg, "crv": pub.Curve.Params().Name,
		"x": b64(pub.X.FillBytes(make([]byte, size))), "y": b64(pub.Y.FillBytes(make([]byte, size)))}
}

func edJWK(pub ed25519.PublicKey, kid string) jwk {
	return jwk{"kty": "OKP", "kid": kid, "use": "sig", "alg": "EdDSA", "crv": "Ed25519", "x": b64(pub)}
}

// with returns a copy of k with members set (a nil value deletes the member).
func (k jwk) with(kv ...any) jwk {
	out := jwk{}
	for n, v := range k {
		out[n] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func setBody(ks ...jwk) []byte {
	if ks == nil {
		ks = []jwk{}
	}
	b, err := json.Marshal(map[string]any{"keys": ks})
	if err != nil {
		panic(err)
	}
	return b
}

// selfSigned returns the DER of a self-signed certificate for key.
func selfSigned(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "signing key"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func x5t(der []byte) string {
	sum := sha1.Sum(der) //nolint:gosec // x5t
	return b64(sum[:])
}

// target is a served key set with the given body, shaped like kube-apiserver's answer.
func target(profile string, body []byte) *evidence.Target {
	const u = "https://issuer.test/openid/v1/jwks"
	return &evidence.Target{
		Input:    evidence.Input{Issuer: "https://issuer.test", Profile: profile},
		ProbedAt: time.Now(),
		JWKS: &evidence.Exchange{URL: u, Hops: []evidence.Hop{{URL: u, Status: 200,
			Header: map[string][]string{"Content-Type": {"application/jwk-set+json"}, "Cache-Control": {"public, max-age=3600"}},
			Body:   body}}},
	}
}
