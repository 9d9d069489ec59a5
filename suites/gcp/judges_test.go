package gcp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// target is a target judged with provider file (""; none) and a token of
// header and claims, probed at now.
func target(file, header, claims string, now time.Time) *evidence.Target {
	rp := evidence.RelyingParty{Name: Name}
	if file != "" {
		rp.Files = map[string]evidence.File{FlagProvider: {Path: "p.json", Body: []byte(file)}}
	}
	t := &evidence.Target{ProbedAt: now, Input: evidence.Input{Issuer: "https://idp.test", Audience: "aud-1", RelyingParties: []evidence.RelyingParty{rp}}}
	if header != "" {
		t.Token = &evidence.Token{Header: json.RawMessage(header), Claims: json.RawMessage(claims)}
	}
	return t
}

func TestJudges(t *testing.T) {
	now := time.Unix(1700000000, 0)
	claims := func(extra string) string {
		return `{"iss":"https://idp.test","sub":"system:serviceaccount:default:my-sa","aud":["aud-1"],"iat":1699999000,"exp":1700003000` + extra + `}`
	}
	noAudiences := describe(func(m map[string]string) { m["oidc"] = `{"issuerUri":"https://idp.test"}`; m["condition"] = `""` })
	rs := `{"alg":"RS256","kid":"k1"}`
	ten := "[0,1,2,3,4,5,6,7,8,9]"
	costly := describe(func(m map[string]string) {
		m["condition"] = `"` + ten + ".all(a, " + ten + ".all(b, " + ten + ".all(c, " + ten + ".all(d, " + ten + ".all(e, " + ten +
			".all(f, " + ten + ".all(g, " + ten + ".all(h, a+b+c+d+e+f+g+h >= 0))))))))" + `"`
	})
	tests := []struct {
		name   string
		judge  check.Judge
		file   string
		header string
		claims string
		want   check.Status
		msg    string
	}{
		{"iss equal", judgeIssuer, "", rs, claims(""), check.Passed, ""},
		{"iss trailing slash", judgeIssuer, "", rs, strings.Replace(claims(""), `idp.test"`, `idp.test/"`, 1), check.Warning, "unconfirmed"},
		{"iss other", judgeIssuer, "", rs, strings.Replace(claims(""), `idp.test"`, `other.test"`, 1), check.Failed, "does not match the expected ones"},
		{"alg ES256", judgeAlg, "", `{"alg":"ES256","kid":"k"}`, claims(""), check.Passed, ""},
		{"alg ES384", judgeAlg, "", `{"alg":"ES384","kid":"k"}`, claims(""), check.Failed, "only RS256 and ES256"},
		{"alg PS256", judgeAlg, "", `{"alg":"PS256","kid":"k"}`, claims(""), check.Failed, "only RS256 and ES256"},
		{"kid", judgeKid, "", rs, claims(""), check.Passed, ""},
		{"no kid", judgeKid, "", `{"alg":"RS256"}`, claims(""), check.Failed, "requires kid"},
		{"empty kid", judgeKid, "", `{"alg":"RS256","kid":""}`, claims(""), check.Warning, "unconfirmed"},
		{"lifetime 47h59m59s", judgeLifetime, "", rs, `{"iat":1699999000,"exp":` + fmt.Sprint(1699999000+48*3600-1) + `}`, check.Passed, ""},
		{"lifetime 48h", judgeLifetime, "", rs, `{"iat":1699999000,"exp":` + fmt.Sprint(1699999000+48*3600) + `}`, check.Failed, "less than 48 hours"},
		{"no iat", judgeLifetime, "", rs, `{"exp":1700003000}`, check.Failed, "no iat"},
		{"iat 30 s ahead", judgeLifetime, "", rs, `{"iat":1700000030,"exp":1700003000}`, check.Warning, "unconfirmed"},
		{"iat 10 min ahead", judgeLifetime, "", rs, `{"iat":1700000600,"exp":1700003000}`, check.Failed, "in the past"},
		{"iat a string", judgeLifetime, "", rs, `{"iat":"1699999000","exp":1700003000}`, check.Warning, "string"},
		{"expired 2 min", judgeExpiry, "", rs, `{"iat":1699990000,"exp":1699999880}`, check.Warning, "unconfirmed"},
		{"expired 6 min", judgeExpiry, "", rs, `{"iat":1699990000,"exp":1699999640}`, check.Failed, "refuses"},
		{"nbf ahead", judgeExpiry, "", rs, claims(`,"nbf":1700000600`), check.Warning, "nbf"},
		{"aud allowed", judgeAudience, "", rs, claims(""), check.Passed, ""},
		{"aud a string", judgeAudience, "", rs, strings.Replace(claims(""), `["aud-1"]`, `"aud-1"`, 1), check.Passed, ""},
		{"aud not allowed", judgeAudience, "", rs, strings.Replace(claims(""), `aud-1`, `aud-2`, 1), check.Failed, "allowedAudiences"},
		{"no aud", judgeAudience, "", rs, `{"iss":"https://idp.test"}`, check.Failed, "no aud"},
		{"resource name audience", judgeAudience, noAudiences, rs, strings.Replace(claims(""), `aud-1`, "//iam.googleapis.com/"+providerName, 1), check.Passed, ""},
		{"https: resource name audience", judgeAudience, noAudiences, rs, strings.Replace(claims(""), `aud-1`, "https://iam.googleapis.com/"+providerName, 1), check.Passed, ""},
		{"resource name with a project ID", judgeAudience, noAudiences, rs,
			strings.Replace(claims(""), `aud-1`, "//iam.googleapis.com/projects/my-project/locations/global/workloadIdentityPools/my-pool/providers/my-provider", 1), check.Failed, "full resource name"},
		{"mapping", judgeMapping, describe(nil), rs, claims(`,"kubernetes.io":{"namespace":"default"}`), check.Passed, ""},
		{"condition true", judgeCondition, describe(nil), rs, claims(`,"kubernetes.io":{"namespace":"default"}`), check.Passed, ""},
		{"condition false", judgeCondition, describe(nil), rs, claims(`,"kubernetes.io":{"namespace":"prod"}`), check.Failed, "rejected by the attribute condition"},
		{"a condition over the harness's own bound warns", judgeCondition, costly, rs, claims(`,"kubernetes.io":{"namespace":"default"}`), check.Warning, "unconfirmed"},
		{"enabled", judgeEnabled, describe(nil), "", "", check.Passed, ""},
		{"disabled", judgeEnabled, strings.Replace(describe(nil), `"disabled":false`, `"disabled":true`, 1), "", "", check.Failed, "invalid_target"},
		{"deleted", judgeEnabled, strings.Replace(describe(nil), `"ACTIVE"`, `"DELETED"`, 1), "", "", check.Failed, "invalid_target"},
		{"no token", judgeAudience, "", "", "", check.Skipped, "no token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.judge(target(tt.file, tt.header, tt.claims, now))
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s %q, want %s with %q", f.Status, f.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestUploadProblems(t *testing.T) {
	rsa := `{"kty":"RSA","kid":"a","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"}`
	ec := `{"kty":"EC","kid":"b","use":"sig","alg":"ES256","crv":"P-256","x":"AQ","y":"AQ"}`
	tests := []struct{ name, set, want string }{
		{"RSA and EC", `{"keys":[` + rsa + `,` + ec + `]}`, ""},
		{"x5c", `{"keys":[` + strings.Replace(rsa, `"use"`, `"x5c":["MII"],"use"`, 1) + `]}`, "x5c"},
		{"no use", `{"keys":[` + strings.Replace(rsa, `"use":"sig",`, ``, 1) + `]}`, "use sig"},
		{"use enc", `{"keys":[` + strings.Replace(rsa, `"sig"`, `"enc"`, 1) + `]}`, "use sig"},
		{"OKP", `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AQ","use":"sig"}]}`, "RSA and EC keys only"},
		{"EC without y", `{"keys":[` + strings.Replace(ec, `,"y":"AQ"`, ``, 1) + `]}`, "lacks y"},
		{"no keys", `{"keys":[]}`, "no keys"},
		{"not JSON", `{`, "not a JSON key set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(uploadProblems([]byte(tt.set)), "; ")
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("problems %q, want %q", got, tt.want)
			}
		})
	}
}

// b64 is unpadded base64url.
func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// TestVerify: the signature is verified with the key of the token's kid in
// the uploaded jwksJson when the provider has one, else in the served set.
func TestVerify(t *testing.T) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaSet := func(pub *rsa.PublicKey, kid string) string {
		return fmt.Sprintf(`{"keys":[{"kty":"RSA","kid":%q,"use":"sig","alg":"RS256","n":%q,"e":%q}]}`, kid, b64(pub.N.Bytes()), b64(big.NewInt(int64(pub.E)).Bytes()))
	}
	ecBytes, _ := ek.PublicKey.Bytes()
	ecSet := fmt.Sprintf(`{"keys":[{"kty":"EC","kid":"e1","use":"sig","alg":"ES256","crv":"P-256","x":%q,"y":%q}]}`, b64(ecBytes[1:33]), b64(ecBytes[33:]))
	sign := func(alg jwa.SignatureAlgorithm, key any, kid string) string {
		hdr := jws.NewHeaders()
		_ = hdr.Set(jws.KeyIDKey, kid)
		b, err := jws.Sign([]byte(`{"sub":"s"}`), jws.WithKey(alg, key, jws.WithProtectedHeaders(hdr)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	uploaded := func(set string) string {
		enc, _ := json.Marshal(set)
		return describe(func(m map[string]string) {
			m["oidc"] = `{"issuerUri":"https://idp.test","allowedAudiences":["aud-1"],"jwksJson":` + string(enc) + `}`
		})
	}
	rsTok := sign(jwa.RS256(), rk, "k1")
	tests := []struct {
		name, file, raw, served string
		want                    check.Status
		msg                     string
	}{
		{"served RSA", "", rsTok, rsaSet(&rk.PublicKey, "k1"), check.Passed, "jwks_uri"},
		{"served EC", "", sign(jwa.ES256(), ek, "e1"), ecSet, check.Passed, "jwks_uri"},
		{"served, unknown kid", "", rsTok, rsaSet(&rk.PublicKey, "k2"), check.Failed, "no RSA or EC key has kid"},
		{"served, another key", "", rsTok, rsaSet(&other.PublicKey, "k1"), check.Failed, "does not verify"},
		{"uploaded beats served", uploaded(rsaSet(&rk.PublicKey, "k1")), rsTok, rsaSet(&other.PublicKey, "k1"), check.Passed, "jwksJson"},
		{"uploaded stale", uploaded(rsaSet(&other.PublicKey, "k1")), rsTok, rsaSet(&rk.PublicKey, "k1"), check.Failed, "jwksJson"},
		{"no key set", "", rsTok, "", check.Skipped, "JWKS-001"},
		{"two parts", "", rsTok[:strings.LastIndexByte(rsTok, '.')], rsaSet(&rk.PublicKey, "k1"), check.Failed, "compact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := target(tt.file, `{"alg":"RS256","kid":"k1"}`, `{}`, time.Now())
			var served []byte
			if tt.served != "" {
				served = []byte(tt.served)
			}
			Verify(t.Context(), tg, tt.raw, served)
			f := judgeSignature(tg)
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s %q, want %s with %q", f.Status, f.Message, tt.want, tt.msg)
			}
			if strings.Contains(string(tg.Answers[Name]), tt.raw[strings.LastIndexByte(tt.raw, '.')+1:]) {
				t.Error("the answer holds the token's signature")
			}
		})
	}
}
