package vaultauth

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	capjwt "github.com/hashicorp/cap/jwt"
)

// sign returns a compact RS256 JWS of the claims JSON.
func sign(t *testing.T, key *rsa.PrivateKey, claims string) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, nil)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := s.Sign([]byte(claims))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestTimesAgreeWithCap: the time rules the judges apply (Leeways.Times)
// answer exactly as cap's Validator does, error text included, on signed
// tokens with every shape of time claims and leeway.
func TestTimesAgreeWithCap(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := capjwt.NewStaticKeySet([]crypto.PublicKey{key.Public()})
	if err != nil {
		t.Fatal(err)
	}
	v, err := capjwt.NewValidator(ks)
	if err != nil {
		t.Fatal(err)
	}
	const now = 1_700_000_000
	at := func(d int) string { return fmt.Sprint(now + d) }
	tests := []struct {
		name           string
		claims         string
		skew, exp, nbf int64 // role leeways in seconds
		wantErr        bool
	}{
		{"all three, valid", `{"iat":` + at(0) + `,"nbf":` + at(0) + `,"exp":` + at(3600) + `}`, 0, 0, 0, false},
		{"none", `{"sub":"x"}`, 0, 0, 0, true},
		{"expired inside the 60 s skew", `{"exp":` + at(-30) + `}`, 0, 0, 0, false},
		{"expired past the 60 s skew", `{"exp":` + at(-90) + `}`, 0, 0, 0, true},
		{"expired inside a wider skew", `{"exp":` + at(-90) + `}`, 120, 0, 0, false},
		{"skew disabled", `{"exp":` + at(-10) + `}`, -1, 0, 0, true},
		{"iat ahead inside the skew", `{"iat":` + at(30) + `,"nbf":` + at(0) + `,"exp":` + at(3600) + `}`, 0, 0, 0, false},
		{"iat ahead past the skew", `{"iat":` + at(600) + `,"nbf":` + at(0) + `,"exp":` + at(3600) + `}`, 0, 0, 0, true},
		{"iat ahead, no nbf: nbf is iat", `{"iat":` + at(600) + `,"exp":` + at(3600) + `}`, 0, 0, 0, true},
		{"nbf ahead", `{"iat":` + at(0) + `,"nbf":` + at(600) + `,"exp":` + at(3600) + `}`, 0, 0, 0, true},
		{"no exp: iat + 150 s", `{"iat":` + at(-100) + `}`, 0, 0, 0, false},
		{"no exp: iat + 150 s passed", `{"iat":` + at(-300) + `}`, 0, 0, 0, true},
		{"no exp: a wider expiration_leeway", `{"iat":` + at(-300) + `}`, 0, 400, 0, false},
		{"no exp: expiration_leeway disabled", `{"iat":` + at(-100) + `}`, 0, -1, 0, true},
		{"no exp: the later of iat and nbf", `{"iat":` + at(-300) + `,"nbf":` + at(-100) + `}`, 0, 0, 0, false},
		{"only exp: nbf is exp - 150 s", `{"exp":` + at(100) + `}`, 0, 0, 0, false},
		{"only exp: not_before_leeway disabled", `{"exp":` + at(100) + `}`, 0, 0, -1, true},
		{"iat a string", `{"iat":"` + at(0) + `","exp":` + at(3600) + `}`, 0, 0, 0, true},
		{"exp with a fraction", `{"iat":` + at(0) + `,"exp":` + at(3600) + `.5}`, 0, 0, 0, false},
		{"exp null", `{"iat":` + at(0) + `,"exp":null}`, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Role{ClockSkewLeeway: tt.skew, ExpirationLeeway: tt.exp, NotBeforeLeeway: tt.nbf}
			clock := time.Unix(now, 0)
			ours := r.Leeways().Times([]byte(tt.claims), clock)
			_, theirs := v.Validate(context.Background(), sign(t, key, tt.claims), Expected(&Config{}, r, clock))
			if (ours != nil) != tt.wantErr {
				t.Errorf("ours: %v, want an error %v", ours, tt.wantErr)
			}
			if fmt.Sprint(ours) != fmt.Sprint(theirs) {
				t.Errorf("ours %q, cap's %q", fmt.Sprint(ours), fmt.Sprint(theirs))
			}
		})
	}
}
