package token

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
)

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestObserve(t *testing.T) {
	good := sign(t, jwa.RS256(), testRSA(), testKid, []byte(testClaims))
	_, _, sig, _ := split(good)
	tests := []struct {
		name      string
		raw       string
		parts     int
		header    string // exact decoded header, when it decodes
		claims    string
		headerErr string // substring
		claimsErr string
		sigLength int
	}{
		{name: "good, file with newline", raw: good + "\n", parts: 3, claims: testClaims, sigLength: len(sig)},
		{name: "surrounding space", raw: "  " + good + " \r\n", parts: 3, claims: testClaims, sigLength: len(sig)},
		{name: "numbers kept as written", raw: b64(`{"alg":"RS256"}`) + "." + b64(`{"exp":1.7e9,"iat":"1700000000","nbf":1700000000.5}`) + ".c2ln",
			parts: 3, header: `{"alg":"RS256"}`, claims: `{"exp":1.7e9,"iat":"1700000000","nbf":1700000000.5}`, sigLength: 4},
		{name: "two parts", raw: b64(`{"alg":"RS256"}`) + "." + b64(`{}`), parts: 2, header: `{"alg":"RS256"}`, claims: `{}`},
		{name: "one part", raw: b64(`{"alg":"RS256"}`), parts: 1, header: `{"alg":"RS256"}`, claimsErr: "no claims part"},
		{name: "five parts (JWE)", raw: b64(`{"alg":"RSA-OAEP"}`) + ".a2V5.aXY.Y2lwaGVy.dGFn", parts: 5,
			header: `{"alg":"RSA-OAEP"}`, claimsErr: "not JSON", sigLength: len("aXY.Y2lwaGVy.dGFn")},
		{name: "empty", raw: " \n", parts: 0, headerErr: "empty", claimsErr: "empty"},
		{name: "padded base64", raw: base64.URLEncoding.EncodeToString([]byte(`{"alg":"RS256"}x`)) + "." + b64(`{}`) + ".c2ln",
			parts: 3, headerErr: `character '='`, claims: `{}`, sigLength: 4},
		{name: "standard base64 alphabet", raw: "a+b/." + b64(`{}`) + ".c2ln", parts: 3, headerErr: `character '+'`, claims: `{}`, sigLength: 4},
		{name: "header not JSON", raw: b64(`alg=RS256`) + "." + b64(`{}`) + ".c2ln", parts: 3, headerErr: "not JSON", claims: `{}`, sigLength: 4},
		{name: "claims an array", raw: b64(`{"alg":"RS256"}`) + "." + b64(`["a"]`) + ".c2ln", parts: 3,
			header: `{"alg":"RS256"}`, claimsErr: "not an object", sigLength: 4},
		{name: "empty claims part", raw: b64(`{"alg":"RS256"}`) + "..c2ln", parts: 3, header: `{"alg":"RS256"}`, claimsErr: "empty", sigLength: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Observe(tt.raw, "test")
			if got.Parts != tt.parts {
				t.Errorf("Parts = %d, want %d", got.Parts, tt.parts)
			}
			if got.Source != "test" || got.Length != len(strings.TrimSpace(tt.raw)) {
				t.Errorf("Source, Length = %q, %d", got.Source, got.Length)
			}
			if tt.header != "" && string(got.Header) != tt.header {
				t.Errorf("Header = %s, want %s", got.Header, tt.header)
			}
			if tt.claims != "" && string(got.Claims) != tt.claims {
				t.Errorf("Claims = %s, want %s", got.Claims, tt.claims)
			}
			checkErr(t, "HeaderError", got.HeaderError, tt.headerErr, got.Header)
			checkErr(t, "ClaimsError", got.ClaimsError, tt.claimsErr, got.Claims)
			if got.Signature.Length != tt.sigLength {
				t.Errorf("Signature.Length = %d, want %d", got.Signature.Length, tt.sigLength)
			}
			if tt.sigLength > 0 && len(got.Signature.SHA256) != sigHashChars {
				t.Errorf("Signature.SHA256 = %q, want %d hex characters", got.Signature.SHA256, sigHashChars)
			}
		})
	}
}

// checkErr checks a part's error against a wanted substring ("" = none).
func checkErr(t *testing.T, field, got, want string, decoded []byte) {
	t.Helper()
	switch {
	case want == "" && got != "":
		t.Errorf("%s = %q, want none", field, got)
	case want != "" && !strings.Contains(got, want):
		t.Errorf("%s = %q, want it to contain %q", field, got, want)
	case want != "" && decoded != nil:
		t.Errorf("%s set but the part was kept: %s", field, decoded)
	}
}

func TestObserveHashesSignature(t *testing.T) {
	a := Observe(b64(`{}`)+"."+b64(`{}`)+".c2lnbmF0dXJlLWE", "")
	b := Observe(b64(`{}`)+"."+b64(`{}`)+".c2lnbmF0dXJlLWI", "")
	if a.Signature.SHA256 == b.Signature.SHA256 {
		t.Errorf("different signatures share the hash prefix %q", a.Signature.SHA256)
	}
}

func TestIssuerOf(t *testing.T) {
	tok := func(claims string) string { return b64(`{"alg":"RS256"}`) + "." + b64(claims) + ".c2ln" }
	tests := []struct {
		name, raw, want, err string
	}{
		{name: "minted", raw: sign(t, jwa.RS256(), testRSA(), testKid, []byte(testClaims)) + "\n", want: testIssuer},
		{name: "trailing slash kept", raw: tok(`{"iss":"https://a.test/"}`), want: "https://a.test/"},
		{name: "no iss", raw: tok(`{"sub":"x"}`), err: "no iss claim"},
		{name: "iss a number", raw: tok(`{"iss":5}`), err: "not a non-empty string"},
		{name: "iss empty", raw: tok(`{"iss":""}`), err: "not a non-empty string"},
		{name: "two parts", raw: b64(`{}`) + "." + b64(`{"iss":"x"}`), err: "2 parts"},
		{name: "claims not JSON", raw: tok(`iss`), err: "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IssuerOf(tt.raw)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("IssuerOf = %q, %v; want error containing %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("IssuerOf = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
