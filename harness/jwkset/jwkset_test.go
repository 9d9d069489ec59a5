package jwkset

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func rsaJWK(t *testing.T, kid string) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`{"kty":"RSA","kid":%q,"n":%q,"e":"AQAB"}`, kid, b64(k.N.Bytes()))
}

func TestParseCaps(t *testing.T) {
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecX, ecY := b64(ec.X.FillBytes(make([]byte, 32))), b64(ec.Y.FillBytes(make([]byte, 32)))
	huge := strings.Repeat("A", 1_000_000) // 6 Mbit
	at16k := b64(append([]byte{0x80}, make([]byte, 2047)...))
	over16k := b64(append([]byte{0x01}, make([]byte, 2048)...))
	tests := []struct {
		name     string
		key      string
		public   bool
		rejected string
	}{
		{"RSA 2048", rsaJWK(t, "a"), true, ""},
		{"EC P-256", fmt.Sprintf(`{"kty":"EC","kid":"a","crv":"P-256","x":%q,"y":%q}`, ecX, ecY), true, ""},
		{"RSA of 16384 bits", `{"kty":"RSA","kid":"a","n":"` + at16k + `","e":"AQAB"}`, true, ""},
		{"RSA one bit over 16384", `{"kty":"RSA","kid":"a","n":"` + over16k + `","e":"AQAB"}`, false, "16385 bits, over the 16384-bit cap"},
		{"RSA of a million characters", `{"kty":"RSA","kid":"a","n":"` + huge + `","e":"AQAB"}`, false, "over the 16384-bit cap"},
		{"RSA exponent too long", `{"kty":"RSA","kid":"a","n":"` + at16k + `","e":"` + strings.Repeat("A", 100) + `"}`, false, "over the 32-bit cap"},
		{"EC on secp256k1", fmt.Sprintf(`{"kty":"EC","kid":"a","crv":"secp256k1","x":%q,"y":%q}`, ecX, ecY), false, `curve "secp256k1"`},
		{"EC with a long x", fmt.Sprintf(`{"kty":"EC","kid":"a","crv":"P-256","x":%q,"y":%q}`, huge, ecY), false, ""},
		{"RSA not base64url", `{"kty":"RSA","kid":"a","n":"!!!","e":"AQAB"}`, false, ""},
		{"oct", `{"kty":"oct","kid":"a","k":"c2VjcmV0"}`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			s, err := parse([]byte(`{"keys":[` + tt.key + `]}`))
			if err != nil {
				t.Fatal(err)
			}
			k := s.Keys[0]
			if (k.Public != nil) != tt.public {
				t.Errorf("Public = %T, want a key: %v", k.Public, tt.public)
			}
			if (tt.rejected == "") != (k.Rejected == "") || !strings.Contains(k.Rejected, tt.rejected) {
				t.Errorf("Rejected = %q, want %q", k.Rejected, tt.rejected)
			}
			if d := time.Since(start); d > 10*time.Second { // JSON decoding under -race; the crypto would take minutes
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestParseCountsKeysPastTheCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"keys":[`)
	for i := range 10_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"kty":"RSA","kid":"k%d","n":"AQAB","e":"AQAB"}`, i)
	}
	b.WriteString(`]}`)
	s, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Keys) != MaxKeys || s.Total != 10_000 || s.Unparsed() != 9_000 {
		t.Errorf("parsed %d of %d (%d unparsed), want %d of 10000", len(s.Keys), s.Total, s.Unparsed(), MaxKeys)
	}
	if ks := s.ForKID("k9000"); len(ks) != 1 || ks[0].Index != 9000 || ks[0].Public == nil {
		t.Errorf("ForKID(k9000) = %+v, want keys[9000] parsed", ks)
	}
	again, _ := Parse([]byte(b.String()))
	if again != s {
		t.Error("the same body was parsed twice (want it remembered by digest)")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"gzip", "\x1f\x8b\x08\x00rest", "gzip-compressed"},
		{"HTML", "<html>", "HTML"},
		{"no keys", `{"kty":"RSA"}`, "no keys array"},
	} {
		if _, err := Parse([]byte(tt.body)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestRSAExact(t *testing.T) {
	k, err := RSA(b64(big.NewInt(0).Lsh(big.NewInt(1), 2047).Bytes()), "AQAB")
	if err != nil || k.N.BitLen() != 2048 || k.E != 65537 {
		t.Errorf("RSA = %v, %v", k, err)
	}
}
