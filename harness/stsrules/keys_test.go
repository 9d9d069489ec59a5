package stsrules

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"math/big"
	"strings"
	"testing"
)

// TestKeyRules: the signature is judged with the selected key's public
// numbers whatever its policy, which KeyPolicy judges apart; a duplicated
// kid names the key that verified; a key that does not parse is its own
// rule's refusal, not the signature's.
func TestKeyRules(t *testing.T) {
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	rsaJWK := func(k *rsa.PublicKey, extra string) string {
		return `{"kty":"RSA","kid":"k","n":"` + enc(k.N.Bytes()) + `","e":"` + enc(big.NewInt(int64(k.E)).Bytes()) + `"` + extra + `}`
	}
	kid := "k"
	good := signRaw(t, "RS256", rsaKey(), &kid, mustJSON(t, goodClaims()))
	byWeak := signRaw(t, "RS256", weak, &kid, mustJSON(t, goodClaims()))
	tests := []struct {
		name       string
		raw, keys  string
		sigRule    RuleID // "" when the signature verifies
		signer     string // Describe of the signer
		policyRule RuleID
	}{
		{"good", good, rsaJWK(&rsaKey().PublicKey, ""), "", "key #1 (kid \"k\")", ""},
		{"1024-bit: the signature holds, the size does not", byWeak, rsaJWK(&weak.PublicKey, ""), "", "key #1", RuleKeySize},
		{"use enc", good, rsaJWK(&rsaKey().PublicKey, `,"use":"enc"`), "", "key #1", RuleKeyUse},
		{"alg ES256 on an RSA key", good, rsaJWK(&rsaKey().PublicKey, `,"alg":"ES256"`), "", "key #1", RuleKeyAlgorithm},
		{"alg RS384, token RS256: not refused", good, rsaJWK(&rsaKey().PublicKey, `,"alg":"RS384"`), "", "key #1", ""},
		{"duplicate kid, the second signs", good, rsaJWK(&otherRSA().PublicKey, "") + "," + rsaJWK(&rsaKey().PublicKey, ""), "", "key #2 (kid \"k\"), one of 2 candidates", ""},
		{"n not base64: does not parse", good, strings.Replace(rsaJWK(&rsaKey().PublicKey, ""), `","e"`, `!","e"`, 1), RuleKeyParse, "", ""},
		{"n in standard base64: read as jwx reads it (JWKS-003 judges the form)", good,
			`{"kty":"RSA","kid":"k","n":"` + base64.StdEncoding.EncodeToString(rsaKey().N.Bytes()) + `","e":"AQAB"}`, "", "key #1", ""},
		{"oct", good, `{"kty":"oct","kid":"k","k":"c2VjcmV0"}`, RuleKeySymmetric, "", ""},
		{"OKP", good, `{"kty":"OKP","kid":"k","crv":"Ed25519","x":"AAAA"}`, RuleKeyType, "", ""},
		{"other key", good, rsaJWK(&otherRSA().PublicKey, ""), RuleSignature, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, e := ParseJWKS([]byte(`{"keys":[` + tt.keys + `]}`))
			if e != nil {
				t.Fatal(e)
			}
			candidates, e := SelectKeys(keys, Header{Kid: "k", HasKid: true})
			if e != nil {
				t.Fatal(e)
			}
			s, e := CheckSignature(tt.raw, "RS256", candidates)
			switch {
			case tt.sigRule != "":
				if e == nil || e.Rule != tt.sigRule {
					t.Fatalf("CheckSignature = %v, want a %s refusal", e, tt.sigRule)
				}
				return
			case e != nil:
				t.Fatalf("CheckSignature: %v", e)
			case !strings.Contains(s.Describe(), tt.signer):
				t.Errorf("signer %q, want %q", s.Describe(), tt.signer)
			}
			if e := KeyPolicy(s.Key, "RS256"); (e == nil) != (tt.policyRule == "") || (e != nil && e.Rule != tt.policyRule) {
				t.Errorf("KeyPolicy = %v, want rule %q", e, tt.policyRule)
			}
		})
	}
}

// TestKidDecisions: kid "" selects "kid": "" keys only; no kid selects every
// key, with the caveat.
func TestKidDecisions(t *testing.T) {
	keys := []Key{{Index: 0, ID: "", HasID: true}, {Index: 1}, {Index: 2, ID: "a", HasID: true}}
	if got, e := SelectKeys(keys, Header{Kid: "", HasKid: true}); e != nil || len(got) != 1 || got[0].Index != 0 {
		t.Errorf(`kid "": %v, %v; want key #1 alone`, got, e)
	}
	if got, e := SelectKeys(keys, Header{}); e != nil || len(got) != 3 || KidCaveat(Header{}) == "" {
		t.Errorf("no kid: %d keys, %v; want every key and a caveat", len(got), e)
	}
	if _, e := SelectKeys(keys[1:2], Header{Kid: "", HasKid: true}); e == nil || e.Rule != RuleKeyID {
		t.Errorf(`kid "" against a JWK without kid: %v, want %s`, e, RuleKeyID)
	}
	if KidCaveat(Header{Kid: "", HasKid: true}) != "" {
		t.Error(`kid "" has a caveat`)
	}
}
