package claims

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lestrrat-go/jwx/v3/jwa"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// TestNothingRevealsTheToken: for good and broken tokens, neither the
// evidence (Observe and Verify, as JSON) nor any judge's message contains the
// token or its signature part.
func TestNothingRevealsTheToken(t *testing.T) {
	jwks := mintJWKS(t)
	good := mintRS256(t, eksClaims())
	raws := []string{
		good,
		good + "\n",
		tamper(good),
		mint(t, jwa.HS256(), publicKeyPEM(t), mintKid, eksClaims()),
		mint(t, jwa.RS256(), mintKey(), "", eksClaims()),
		mint(t, jwa.RS256(), mintKey(), "rotated-away", eksClaims()),
		mint(t, jwa.RS384(), mintKey(), mintKid, eksClaims()),
		good + "." + good[strings.LastIndexByte(good, '.')+1:],
	}
	for i, raw := range raws {
		target := observed(raw, jwks)
		b, err := json.Marshal(evidence.Run{Version: evidence.FormatVersion, Targets: []*evidence.Target{target}})
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{string(b)}
		for id, f := range judgeAll(target) {
			texts = append(texts, id+": "+f.Message)
		}
		trimmed := strings.TrimSpace(raw)
		sig := strings.SplitN(trimmed, ".", 3)[2] // everything after the second dot
		for _, text := range texts {
			for _, secret := range []string{trimmed, sig} {
				if strings.Contains(text, secret) {
					t.Errorf("token %d: %.80s... reveals the token or its signature", i, text)
				}
			}
		}
	}
}

func FuzzClaims(f *testing.F) {
	good, _ := json.Marshal(eksClaims())
	f.Add([]byte(`{"alg":"RS256","kid":"`+mintKid+`"}`), good, "aws")
	f.Add([]byte(`{"alg":"none"}`), []byte(`{"exp":1.7e9,"iat":"1","nbf":-5,"aud":[1],"azp":null}`), "kubernetes")
	f.Add([]byte(`{"kid":{}}`), []byte(`{"sub":"system:serviceaccount::","kubernetes.io":{"serviceaccount":7}}`), "kubernetes")
	f.Add([]byte(`[]`), []byte(`null`), "oidc")
	f.Add([]byte(`{"alg":"HS256"`), []byte(`{"exp":99999999999999999999999,"iat":0}`), "aws")
	jwks := []byte(handJWKS) // no RSA key: generating one under coverage instrumentation is very slow
	f.Fuzz(func(t *testing.T, header, claims []byte, profile string) {
		for _, valid := range []bool{true, false} {
			target := &evidence.Target{
				Input:    evidence.Input{Issuer: mintIssuer, Profile: profile},
				ProbedAt: mintNow,
				JWKS:     &evidence.Exchange{Hops: []evidence.Hop{{Status: 200, Body: jwks}}},
				Token: &evidence.Token{Length: len(header) + len(claims), Parts: 3, Header: header, Claims: claims,
					Verifications: []evidence.Verification{{Verifier: "jwx"}, {Verifier: "go-oidc", OK: true}}},
			}
			// Evidence read from a file always holds valid JSON; the judges
			// must also survive bytes that are not.
			if valid && !json.Valid(header) {
				target.Token.Header, target.Token.HeaderError = nil, "not JSON"
			}
			if valid && !json.Valid(claims) {
				target.Token.Claims, target.Token.ClaimsError = nil, "not JSON"
			}
			for _, k := range Checks() {
				_ = k.Judge(target)
			}
		}
	})
}
