package stsrules

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestVerifyUnsigned: without keys, every rule but the key lookup and the
// signature is still applied, in Verify's order; Verify itself still
// refuses what VerifyUnsigned lets through.
func TestVerifyUnsigned(t *testing.T) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	with := func(change func(map[string]any)) map[string]any {
		c := goodClaims()
		change(c)
		return c
	}
	kid := testKid
	parts := strings.Split(sign(t, goodClaims()), ".")
	tests := []struct {
		name   string
		token  string
		code   string // "" when VerifyUnsigned accepts the token
		prefix string // of the message
		signed string // Verify's message prefix for a token VerifyUnsigned accepts
	}{
		{name: "good", token: sign(t, goodClaims())},
		{name: "signed by another key", token: signRaw(t, "RS256", otherRSA(), &kid, mustJSON(t, goodClaims())), signed: "The token signature is invalid"},
		{name: "unknown kid", token: signRaw(t, "RS256", rsaKey(), ptr("unknown"), mustJSON(t, goodClaims())), signed: MsgKeyNotRetrieved},
		{name: "two parts", token: parts[0] + "." + parts[1], code: CodeInvalidIdentityToken, prefix: "The token is not a compact JWT"},
		{name: "alg none", token: b64(`{"alg":"none"}`) + "." + parts[1] + ".", code: CodeInvalidIdentityToken, prefix: `Unsupported token signing algorithm "none"`},
		{name: "unknown issuer", token: sign(t, with(func(c map[string]any) { c["iss"] = "https://other.example.com" })),
			code: CodeInvalidIdentityToken, prefix: "No OpenIDConnect provider found"},
		{name: "sub missing", token: sign(t, with(func(c map[string]any) { delete(c, "sub") })), code: CodeInvalidIdentityToken, prefix: "Missing a required claim: sub"},
		{name: "wrong audience", token: sign(t, with(func(c map[string]any) { c["aud"] = "other" })), code: CodeInvalidIdentityToken, prefix: MsgIncorrectAudience},
		{name: "expired", token: sign(t, with(func(c map[string]any) { c["exp"] = testNow.Add(-6 * time.Minute).Unix() })), code: CodeExpiredToken, prefix: "Token expired"},
	}
	v := verifier(t)
	unsigned := &Verifier{Providers: v.Providers, Now: v.Now} // no keys at all
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := unsigned.VerifyUnsigned(context.Background(), tt.token)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("VerifyUnsigned: %v", err)
				}
				if id.Subject != testSub || id.Audience != "sts.amazonaws.com" {
					t.Errorf("identity %+v", id)
				}
				_, err := v.Verify(context.Background(), tt.token)
				var e *Error
				switch {
				case tt.signed == "" && err != nil:
					t.Errorf("Verify: %v", err)
				case tt.signed != "" && (!errors.As(err, &e) || !strings.HasPrefix(e.Message, tt.signed)):
					t.Errorf("Verify: %v, want %q", err, tt.signed)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code || !strings.HasPrefix(e.Message, tt.prefix) {
				t.Fatalf("VerifyUnsigned: %v, want %s %q", err, tt.code, tt.prefix)
			}
		})
	}
}
