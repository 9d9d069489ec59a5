package token

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// publicPEM is the RSA public key as PEM: the secret of the HS256
// algorithm-confusion attack.
func publicPEM(t *testing.T) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&testRSA().PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestVerify(t *testing.T) {
	rsaSet := keySet(t, &testRSA().PublicKey, testKid, "RS256")
	claims := []byte(testClaims)
	good := sign(t, jwa.RS256(), testRSA(), testKid, claims)
	h, p, s, _ := split(good)
	flipped := h + "." + p + "." + flipChar(s, 10)
	noModelKey := "no usable candidate key"
	tests := []struct {
		name         string
		raw          string
		jwks         []byte
		jwx, goOIDC  bool
		jwxErr, oErr string // substrings of the errors
		rule, key    string // the model's rule when it refuses, its key when it verifies
	}{
		{name: "good", raw: good, jwks: rsaSet, jwx: true, goOIDC: true, key: "key #1"},
		{name: "good with newline", raw: good + "\n", jwks: rsaSet, jwx: true, goOIDC: true},
		{name: "key without alg", raw: good, jwks: keySet(t, &testRSA().PublicKey, testKid, ""), jwx: true, goOIDC: true},
		{name: "ES256", raw: sign(t, jwa.ES256(), testEC(), "ec-1", claims), jwks: keySet(t, &testEC().PublicKey, "ec-1", "ES256"), jwx: true, goOIDC: true},
		{name: "claims go-oidc cannot decode still verify", raw: sign(t, jwa.RS256(), testRSA(), testKid, []byte(`{"iat":"1700000000","exp":1.7e9}`)),
			jwks: rsaSet, jwx: true, goOIDC: true},
		{name: "alg none: the algorithm rule", raw: b64(`{"alg":"none","kid":"`+testKid+`"}`) + "." + b64(testClaims) + ".", jwks: rsaSet,
			jwxErr: `"none"`, oErr: noModelKey, rule: "signing-algorithm"},
		{name: "HS256 with the public key PEM as secret", raw: sign(t, jwa.HS256(), publicPEM(t), testKid, claims), jwks: rsaSet,
			jwxErr: `"HS256"`, oErr: noModelKey, rule: "signing-algorithm"},
		// PS256 is a signature both verify; that STS does not take it is
		// TOK-002's rule, not the signature's.
		{name: "PS256", raw: sign(t, jwa.PS256(), testRSA(), testKid, claims), jwks: keySet(t, &testRSA().PublicKey, testKid, ""), jwx: true, goOIDC: true},
		// The key's public numbers verify; the JWK's alg member is the JWKS checks'.
		{name: "RS384 header, key published as RS256", raw: sign(t, jwa.RS384(), testRSA(), testKid, claims), jwks: rsaSet, jwx: true, goOIDC: true},
		{name: "missing kid: every key is tried, by both", raw: sign(t, jwa.RS256(), testRSA(), "", claims), jwks: rsaSet, jwx: true, goOIDC: true},
		{name: "unknown kid", raw: sign(t, jwa.RS256(), testRSA(), "other-kid", claims), jwks: rsaSet,
			jwxErr: `"other-kid"`, oErr: noModelKey, rule: "key-id"},
		{name: "bad signature", raw: flipped, jwks: rsaSet, jwxErr: "does not verify", oErr: "failed to verify signature", rule: "signature"},
		{name: "other key, same kid", raw: good, jwks: keySet(t, &testEC().PublicKey, testKid, "ES256"), jwxErr: "does not verify", oErr: "failed to verify", rule: "signature"},
		{name: "two parts", raw: h + "." + p, jwks: rsaSet, jwxErr: "2 parts", oErr: noModelKey, rule: "compact-jws"},
		{name: "JSON serialization", raw: `{"payload":"` + p + `","protected":"` + h + `","signature":"` + s + `"}`, jwks: rsaSet,
			jwxErr: "not a compact JWT", oErr: noModelKey, rule: "compact-jws"},
		{name: "JWKS not JSON", raw: good, jwks: []byte("<html>"), jwxErr: "not a JSON object", oErr: noModelKey, rule: "key-set"},
		{name: "JWKS without usable keys", raw: good, jwks: []byte(`{"keys":[{"kty":"oct","kid":"` + testKid + `","k":"c2VjcmV0"}]}`),
			jwxErr: "symmetric", oErr: noModelKey, rule: "key-symmetric"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Verify(context.Background(), tt.raw, testIssuer, tt.jwks)
			if len(got) != 2 || got[0].Verifier != VerifierJWX || got[1].Verifier != VerifierGoOIDC {
				t.Fatalf("Verify = %+v, want jwx and go-oidc verdicts", got)
			}
			checkVerdict(t, got[0], tt.jwx, tt.jwxErr)
			checkVerdict(t, got[1], tt.goOIDC, tt.oErr)
			if got[0].Rule != tt.rule || !strings.Contains(got[0].Key, tt.key) {
				t.Errorf("model rule %q key %q, want rule %q key containing %q", got[0].Rule, got[0].Key, tt.rule, tt.key)
			}
		})
	}
}

// flipChar changes the character at i to another base64url character.
func flipChar(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

func checkVerdict(t *testing.T, v evidence.Verification, ok bool, errPart string) {
	t.Helper()
	if v.OK != ok {
		t.Errorf("%s OK = %v (%q), want %v", v.Verifier, v.OK, v.Error, ok)
	}
	if !ok && !strings.Contains(v.Error, errPart) {
		t.Errorf("%s Error = %q, want it to contain %q", v.Verifier, v.Error, errPart)
	}
	if ok && v.Error != "" {
		t.Errorf("%s OK with Error %q", v.Verifier, v.Error)
	}
}

func TestVerifyWithoutJWKS(t *testing.T) {
	if got := Verify(context.Background(), "a.b.c", testIssuer, nil); got != nil {
		t.Errorf("Verify without a JWKS = %+v, want nil", got)
	}
}

func TestScrub(t *testing.T) {
	sig := "S1gnatureS1gnatureS1gnature_-0123456789"
	raw := "aGVhZGVy.Y2xhaW1z." + sig
	tests := []struct{ name, msg, want string }{
		{"plain", "failed to verify", "failed to verify"},
		{"whole token", "bad token " + raw + " here", "bad token [redacted] here"},
		{"signature", "sig " + sig, "sig [redacted]"},
		{"part of the signature", "at " + sig[3:25], "(message withheld: it quoted part of the token's signature)"},
		{"long", strings.Repeat("x", 400), strings.Repeat("x", maxErrorLen) + "..."},
		{"joined errors", "first\n  second\n", "first; second"},
	}
	for _, tt := range tests {
		if got := scrub(tt.msg, raw); got != tt.want {
			t.Errorf("%s: scrub = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestVerifyGivesUpWithTheRun: verification runs under the run's context;
// when it has ended, both verdicts say they gave up, and judge nothing.
func TestVerifyGivesUpWithTheRun(t *testing.T) {
	good := sign(t, jwa.RS256(), testRSA(), testKid, []byte(testClaims))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, v := range Verify(ctx, good, testIssuer, keySet(t, &testRSA().PublicKey, testKid, "RS256")) {
		if !v.Abandoned || v.OK || !strings.Contains(v.Error, "gave up after") {
			t.Errorf("%s: %+v, want abandoned with a gave-up message", v.Verifier, v)
		}
	}
}

// TestVerifyWithTheNamedKeyAmongMany: with 1000 keys (the most the model
// reads; jwx's own key-set limit is what TOK-004 once tripped on) the key
// the token names is found and both verifiers agree.
func TestVerifyWithTheNamedKeyAmongMany(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"keys":[`)
	for i := range 999 {
		fmt.Fprintf(&b, `{"kty":"EC","kid":"filler-%d","crv":"P-256","x":"AAAA","y":"AAAA"},`, i)
	}
	one := keySet(t, &testRSA().PublicKey, testKid, "RS256")
	var set struct{ Keys []json.RawMessage }
	json.Unmarshal(one, &set)
	b.Write(set.Keys[0])
	b.WriteString(`]}`)
	good := sign(t, jwa.RS256(), testRSA(), testKid, []byte(testClaims))
	for _, v := range Verify(context.Background(), good, testIssuer, []byte(b.String())) {
		if !v.OK {
			t.Errorf("%s: %s", v.Verifier, v.Error)
		}
	}
}

// TestVerifyRefusesAnOversizeKey: a key over the modulus cap is never
// used, the model refuses it under its key-size rule (JWKS-007's), at once.
func TestVerifyRefusesAnOversizeKey(t *testing.T) {
	huge := `{"keys":[{"kty":"RSA","kid":"` + testKid + `","n":"` + strings.Repeat("q", 1_000_000) + `","e":"AQAB"}]}`
	good := sign(t, jwa.RS256(), testRSA(), testKid, []byte(testClaims))
	start := time.Now()
	v := Verify(context.Background(), good, testIssuer, []byte(huge))
	if v[0].OK || v[0].Rule != "key-size" || !strings.Contains(v[0].Error, "over the 16384-bit cap") || v[1].OK {
		t.Errorf("verdicts %+v, want refused under key-size, over the cap", v)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}
