package token

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"
)

// TestNothingRevealsTheToken runs Observe and Verify over good and broken
// tokens and checks that neither the evidence nor any message contains the
// token or its signature part.
func TestNothingRevealsTheToken(t *testing.T) {
	rsaSet := keySet(t, &testRSA().PublicKey, testKid, "RS256")
	claims := []byte(testClaims)
	good := sign(t, jwa.RS256(), testRSA(), testKid, claims)
	h, p, s, _ := split(good)
	raws := []string{
		good,
		good + "\n",
		h + "." + p + "." + flipChar(s, 10),
		sign(t, jwa.HS256(), publicPEM(t), testKid, claims),
		sign(t, jwa.RS256(), testRSA(), "unknown", claims),
		sign(t, jwa.RS256(), testRSA(), "", claims),
		h + "." + p + "." + s + "." + s, // four parts
		h + "." + base64.RawURLEncoding.EncodeToString([]byte("{")) + "." + s,
		h + ".%%%." + s,
		h + "." + p + "." + s + "==",
	}
	for i, raw := range raws {
		tok := Observe(raw, "test")
		tok.Verifications = Verify(context.Background(), raw, testIssuer, rsaSet)
		b, err := json.Marshal(tok)
		if err != nil {
			t.Fatalf("token %d: marshal evidence: %v", i, err)
		}
		_, _, sig, _ := split(strings.TrimSpace(raw))
		for _, secret := range []string{strings.TrimSpace(raw), sig} {
			if strings.Contains(string(b), secret) {
				t.Errorf("token %d: the evidence reveals %q...: %s", i, secret[:10], b)
			}
		}
	}
}

func FuzzObserve(f *testing.F) {
	// No RSA key here: generating one under coverage instrumentation is very slow.
	f.Add(b64(`{"alg":"RS256","kid":"`+testKid+`"}`) + "." + b64(testClaims) + "." + strings.Repeat("c2ln", 86) + "\n")
	f.Add(b64(`{"alg":"none"}`) + "." + b64(`{"exp":1.7e9}`) + ".")
	f.Add("a.b.c.d.e")
	f.Add(" \n")
	f.Add(b64(`{"alg":"RS256","x":"QUFBQUFBQUFB"}`) + "." + b64(`{}`) + ".QUFBQUFBQUFB")
	f.Fuzz(func(t *testing.T, raw string) {
		tok := Observe(raw, "fuzz")
		b, err := json.Marshal(tok)
		if err != nil {
			t.Fatalf("marshal evidence: %v", err)
		}
		_, _, sig, parts := split(strings.TrimSpace(raw))
		if parts < 3 || len(sig) < minSecretLen {
			return
		}
		if !strings.Contains(string(b), sig) {
			return
		}
		// The same text may legitimately appear inside the decoded header
		// or claims, which are shown on purpose (their decode errors quote
		// their first bytes too); elsewhere it must not.
		tok.Header, tok.Claims, tok.HeaderError, tok.ClaimsError = nil, nil, "", ""
		rest, _ := json.Marshal(tok)
		if strings.Contains(string(rest), sig) {
			t.Fatalf("the evidence contains the signature part: %s", rest)
		}
	})
}
