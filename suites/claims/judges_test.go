package claims

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

const handJWKS = `{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"},{"kty":"RSA","kid":"k2","n":"AQAB","e":"AQAB"}]}`

// handClaims are valid claims at mintNow, edited per case.
func handClaims() map[string]any {
	iat := mintNow.Unix() - 60
	return map[string]any{"iss": mintIssuer, "sub": "system:serviceaccount:ns:sa", "aud": "sts.amazonaws.com",
		"iat": iat, "exp": iat + 3600}
}

// hand builds evidence by hand: header and claims as JSON, both verifiers OK.
func hand(header map[string]any, claims map[string]any) *evidence.Target {
	h, _ := json.Marshal(header)
	c, _ := json.Marshal(claims)
	return &evidence.Target{
		Input:    evidence.Input{Issuer: mintIssuer, Profile: "aws"},
		ProbedAt: mintNow,
		JWKS:     &evidence.Exchange{URL: mintIssuer + "/keys", Hops: []evidence.Hop{{Status: 200, Body: []byte(handJWKS)}}},
		Token: &evidence.Token{Source: "test", Length: 800, Parts: 3, Header: h, Claims: c,
			Signature:     evidence.RedactedSignature{Length: 342, SHA256: "0123456789ab"},
			Verifications: []evidence.Verification{{Verifier: "jwx", OK: true}, {Verifier: "go-oidc", OK: true}}},
	}
}

func goodHeader() map[string]any { return map[string]any{"alg": "RS256", "kid": "k1"} }

func TestJudges(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		header func(h map[string]any)
		claims func(c map[string]any)
		mutate func(t *evidence.Target)
		want   check.Status
		msg    string
	}{
		// TOK-001
		{name: "impossible signature length", id: "TOK-001", mutate: func(t *evidence.Target) { t.Token.Signature.Length = 5 }, want: check.Failed, msg: "base64url cannot have"},
		{name: "too short", id: "TOK-013", mutate: func(t *evidence.Target) { t.Token.Length = 3 }, want: check.Failed, msg: "under STS's minimum"},
		{name: "too long", id: "TOK-013", mutate: func(t *evidence.Target) { t.Token.Length = 20001 }, want: check.Failed, msg: "over STS's limit of 20000"},
		{name: "within STS's limit", id: "TOK-013", want: check.Passed, msg: "within STS's 4..20000"},
		{name: "length is not the shape's", id: "TOK-001", mutate: func(t *evidence.Target) { t.Token.Length = 20001 }, want: check.Passed},
		{name: "header error", id: "TOK-001", mutate: func(t *evidence.Target) { t.Token.Header, t.Token.HeaderError = nil, "the header part is not JSON" },
			want: check.Failed, msg: "the header part is not JSON"},
		{name: "claims not an object (hand-edited evidence)", id: "TOK-001", mutate: func(t *evidence.Target) { t.Token.Claims = json.RawMessage(`[1]`) },
			want: check.Failed, msg: "claims part is not a JSON object"},
		{name: "unsigned token is well formed", id: "TOK-001", mutate: func(t *evidence.Target) { t.Token.Signature = evidence.RedactedSignature{} }, want: check.Passed},
		// TOK-002
		{name: "ES384", id: "TOK-002", header: func(h map[string]any) { h["alg"] = "ES384" }, want: check.Passed},
		{name: "PS256", id: "TOK-002", header: func(h map[string]any) { h["alg"] = "PS256" }, want: check.Failed, msg: "Unsupported token signing algorithm"},
		{name: "None", id: "TOK-002", header: func(h map[string]any) { h["alg"] = "None" }, want: check.Failed, msg: "unsigned"},
		{name: "HS512", id: "TOK-002", header: func(h map[string]any) { h["alg"] = "HS512" }, want: check.Failed, msg: "HMAC"},
		{name: "no alg", id: "TOK-002", header: func(h map[string]any) { delete(h, "alg") }, want: check.Failed, msg: "no alg"},
		{name: "alg not a string", id: "TOK-002", header: func(h map[string]any) { h["alg"] = 256 }, want: check.Failed, msg: "not a string"},
		{name: "header unavailable", id: "TOK-002", mutate: func(t *evidence.Target) { t.Token.Header = nil }, want: check.Skipped, msg: "see TOK-001"},
		// TOK-012: every relying party's rule; PS256 and EdDSA are signatures.
		{name: "PS256 is a signature", id: "TOK-012", header: func(h map[string]any) { h["alg"] = "PS256" }, want: check.Passed, msg: "alg PS256"},
		{name: "EdDSA is a signature", id: "TOK-012", header: func(h map[string]any) { h["alg"] = "EdDSA" }, want: check.Passed},
		{name: "none", id: "TOK-012", header: func(h map[string]any) { h["alg"] = "none" }, want: check.Failed, msg: "unsigned"},
		{name: "HS256", id: "TOK-012", header: func(h map[string]any) { h["alg"] = "HS256" }, want: check.Failed, msg: "HMAC"},
		{name: "a key-management alg", id: "TOK-012", header: func(h map[string]any) { h["alg"] = "RSA-OAEP" }, want: check.Failed, msg: "not a JWS signature algorithm"},
		{name: "no alg (TOK-012)", id: "TOK-012", header: func(h map[string]any) { delete(h, "alg") }, want: check.Failed, msg: "no alg"},
		// TOK-003
		{name: "second kid", id: "TOK-003", header: func(h map[string]any) { h["kid"] = "k2" }, want: check.Passed},
		{name: "empty kid, none published", id: "TOK-003", header: func(h map[string]any) { h["kid"] = "" }, want: check.Failed, msg: `kid "" is not in the JWKS`},
		{name: "empty kid on both sides (amazon-eks-pod-identity-webhook)", id: "TOK-003", header: func(h map[string]any) { h["kid"] = "" },
			mutate: func(t *evidence.Target) {
				t.JWKS.Hops[0].Body = []byte(`{"keys":[{"kty":"RSA","kid":"","n":"AQAB","e":"AQAB"}]}`)
			}, want: check.Passed, msg: `kid ""`},
		{name: "no kid, a key without kid", id: "TOK-003", header: func(h map[string]any) { delete(h, "kid") }, want: check.Warning, msg: "unconfirmed"},
		{name: "kid a number", id: "TOK-003", header: func(h map[string]any) { h["kid"] = 1 }, want: check.Failed, msg: "not a string"},
		{name: "kid case differs", id: "TOK-003", header: func(h map[string]any) { h["kid"] = "K1" }, want: check.Failed, msg: `"k1", "k2"`},
		{name: "no JWKS fetched", id: "TOK-003", mutate: func(t *evidence.Target) { t.JWKS, t.JWKSSkipReason = nil, "jwks_uri is not https" },
			want: check.Skipped, msg: "jwks_uri is not https"},
		{name: "JWKS 404", id: "TOK-003", mutate: func(t *evidence.Target) { t.JWKS.Hops[0].Status = 404 }, want: check.Skipped, msg: "JWKS-001"},
		{name: "JWKS not a key set", id: "TOK-003", mutate: func(t *evidence.Target) { t.JWKS.Hops[0].Body = []byte(`{"k":1}`) }, want: check.Skipped, msg: "JWKS-002"},
		// TOK-004
		{name: "both verify", id: "TOK-004", want: check.Passed, msg: "by the STS model (jwx) and by go-oidc"},
		{name: "the selected key does not parse", id: "TOK-004",
			mutate: func(t *evidence.Target) {
				t.Token.Verifications[0] = evidence.Verification{Verifier: "jwx", Rule: "key-parse", Error: "key #1 does not parse"}
			}, want: check.Skipped, msg: "not judged: JWKS-003 failed"},
		{name: "no verdicts recorded", id: "TOK-004", mutate: func(t *evidence.Target) { t.Token.Verifications = nil }, want: check.Skipped, msg: "not verified"},
		{name: "go-oidc only rejects", id: "TOK-004",
			mutate: func(t *evidence.Target) {
				t.Token.Verifications[1] = evidence.Verification{Verifier: "go-oidc", Error: "boom"}
			},
			want: check.Failed, msg: "disagree, so one of them is wrong about this token: jwx accepts it; go-oidc rejects it (boom)"},
		{name: "the run gave up", id: "TOK-004",
			mutate: func(t *evidence.Target) {
				t.Token.Verifications[0] = evidence.Verification{Verifier: "jwx", Abandoned: true, Error: "gave up after 2s: ..."}
			},
			want: check.Failed, msg: "not judged: jwx gave up after 2s"},
		// TOK-005
		{name: "iss missing", id: "TOK-005", claims: func(c map[string]any) { delete(c, "iss") }, want: check.Failed, msg: "Missing a required claim: iss"},
		{name: "iss not a string", id: "TOK-005", claims: func(c map[string]any) { c["iss"] = []string{mintIssuer} }, want: check.Failed, msg: "not a string"},
		{name: "iss case differs", id: "TOK-005", claims: func(c map[string]any) { c["iss"] = strings.ToUpper(mintIssuer) }, want: check.Failed, msg: "only in case"},
		{name: "no issuer to compare", id: "TOK-005", mutate: func(t *evidence.Target) { t.Input.Issuer = "" }, want: check.Skipped},
		{name: "claims unavailable", id: "TOK-005", mutate: func(t *evidence.Target) { t.Token.Claims = json.RawMessage(`{"a":1} x`) }, want: check.Skipped, msg: "TOK-001"},
		// TOK-006
		{name: "aud as a string", id: "TOK-006", want: check.Passed},
		{name: "aud among several", id: "TOK-006", claims: func(c map[string]any) { c["aud"] = []string{"x", "sts.amazonaws.com"} }, want: check.Passed},
		{name: "aud a number", id: "TOK-006", claims: func(c map[string]any) { c["aud"] = 5 }, want: check.Failed, msg: "neither a string nor an array"},
		{name: "aud null", id: "TOK-006", claims: func(c map[string]any) { c["aud"] = nil }, want: check.Failed, msg: "Missing a required claim: aud"},
		{name: "aud empty list", id: "TOK-006", claims: func(c map[string]any) { c["aud"] = []string{} }, want: check.Failed, msg: "Missing a required claim: aud"},
		{name: "oidc profile: any aud without --audience", id: "TOK-006", claims: func(c map[string]any) { c["aud"] = "my-client" },
			mutate: func(t *evidence.Target) { t.Input.Profile = "oidc" }, want: check.Passed, msg: "present"},
		{name: "oidc profile: --audience judged", id: "TOK-006", claims: func(c map[string]any) { c["aud"] = "my-client" },
			mutate: func(t *evidence.Target) { t.Input.Profile, t.Input.Audience = "oidc", "other" }, want: check.Failed, msg: `does not contain "other"`},
		{name: "custom audience", id: "TOK-006", claims: func(c map[string]any) { c["aud"] = "my-app" },
			mutate: func(t *evidence.Target) { t.Input.Audience = "my-app" }, want: check.Passed},
		// TOK-007
		{name: "sub not a string", id: "TOK-007", claims: func(c map[string]any) { c["sub"] = 7 }, want: check.Failed, msg: "not a string"},
		{name: "sub empty", id: "TOK-007", claims: func(c map[string]any) { c["sub"] = "" }, want: check.Failed, msg: "Missing a required claim: sub"},
		{name: "sub 255 characters of one byte", id: "TOK-007", claims: func(c map[string]any) { c["sub"] = strings.Repeat("e", 255) }, want: check.Passed},
		{name: "sub 255 characters, 510 bytes: the unconfirmed band", id: "TOK-007", claims: func(c map[string]any) { c["sub"] = strings.Repeat("é", 255) },
			want: check.Warning, msg: "255 characters but 510 bytes"},
		{name: "sub 256 characters", id: "TOK-007", claims: func(c map[string]any) { c["sub"] = strings.Repeat("é", 256) }, want: check.Failed, msg: "256 characters"},
		{name: "any sub under aws", id: "TOK-007", claims: func(c map[string]any) { c["sub"] = "repo:org/app:ref:refs/heads/main" }, want: check.Passed},
		{name: "kubernetes profile, good sub", id: "TOK-007", mutate: func(t *evidence.Target) { t.Input.Profile = "kubernetes" }, want: check.Passed},
		{name: "kubernetes profile, extra colon", id: "TOK-007", claims: func(c map[string]any) { c["sub"] = "system:serviceaccount:ns:sa:x" },
			mutate: func(t *evidence.Target) { t.Input.Profile = "kubernetes" }, want: check.Failed, msg: "not a service account"},
		{name: "kubernetes.io block makes the rule apply", id: "TOK-007",
			claims: func(c map[string]any) { c["sub"] = "alice"; c["kubernetes.io"] = map[string]any{"namespace": "ns"} },
			want:   check.Failed, msg: "not a service account"},
		{name: "service account name differs", id: "TOK-007",
			claims: func(c map[string]any) {
				c["kubernetes.io"] = map[string]any{"namespace": "ns", "serviceaccount": map[string]any{"name": "other"}}
			},
			want: check.Failed, msg: `service account "sa" differs from kubernetes.io.serviceaccount.name "other"`},
		{name: "kubernetes.io block incomplete", id: "TOK-007", claims: func(c map[string]any) { c["kubernetes.io"] = map[string]any{} },
			want: check.Failed, msg: "no namespace; kubernetes.io has no serviceaccount.name"},
		{name: "kubernetes.io block malformed", id: "TOK-007", claims: func(c map[string]any) { c["kubernetes.io"] = "ns" },
			want: check.Failed, msg: "expected shape"},
		// TOK-008
		{name: "exponent", id: "TOK-008", claims: func(c map[string]any) { c["exp"] = json.Number("1.7e9") }, want: check.Failed, msg: "exp is 1.7e9, not an integer"},
		{name: "integral float", id: "TOK-008", claims: func(c map[string]any) { c["iat"] = json.Number("1759999940.0") }, want: check.Failed, msg: "not an integer"},
		{name: "negative is an integer (a date long past)", id: "TOK-008", claims: func(c map[string]any) { c["nbf"] = -1 }, want: check.Passed},
		{name: "bool", id: "TOK-008", claims: func(c map[string]any) { c["exp"] = true }, want: check.Failed, msg: "not a number"},
		{name: "huge", id: "TOK-008", claims: func(c map[string]any) { c["exp"] = json.Number("99999999999999999999") }, want: check.Failed, msg: "too large"},
		{name: "exp and iat missing", id: "TOK-008", claims: func(c map[string]any) { delete(c, "exp"); delete(c, "iat") }, want: check.Failed,
			msg: "Missing a required claim: exp; Missing a required claim: iat"},
		{name: "nbf optional", id: "TOK-008", want: check.Passed, msg: "exp 1760003540, iat 1759999940"},
		{name: "just under the milliseconds line", id: "TOK-008", claims: func(c map[string]any) { c["exp"] = int64(99_999_999_999) }, want: check.Passed},
		// TOK-009
		{name: "one second before exp", id: "TOK-009", claims: func(c map[string]any) { c["exp"] = mintNow.Unix() + 1 }, want: check.Passed},
		{name: "pod identity token", id: "TOK-006", claims: func(c map[string]any) { c["aud"] = []string{"pods.eks.amazonaws.com"} },
			want: check.Failed, msg: "an EKS Pod Identity token, not one for STS"},
		{name: "at exp (IAM's window begins)", id: "TOK-009", claims: func(c map[string]any) { c["exp"] = mintNow.Unix() }, want: check.Warning, msg: "STS still accepts it for 5m0s"},
		{name: "2m10s after exp", id: "TOK-009", claims: func(c map[string]any) { c["exp"] = mintNow.Unix() - 130 }, want: check.Warning,
			msg: "expired 2m10s ago: STS still accepts it for 2m50s"},
		{name: "5 min after exp", id: "TOK-009", claims: func(c map[string]any) { c["exp"] = mintNow.Unix() - 300 }, want: check.Failed, msg: "Token expired"},
		{name: "6 min after exp", id: "TOK-009", claims: func(c map[string]any) { c["exp"] = mintNow.Unix() - 360 }, want: check.Failed,
			msg: "expired 6m0s ago, beyond IAM's 5m0s window"},
		{name: "iat within skew ahead", id: "TOK-009", claims: func(c map[string]any) { c["iat"] = mintNow.Unix() + 60 }, want: check.Passed},
		{name: "no probe time", id: "TOK-009", mutate: func(t *evidence.Target) { t.ProbedAt = time.Time{} }, want: check.Skipped},
		{name: "no usable dates", id: "TOK-009", claims: func(c map[string]any) { c["exp"], c["iat"] = "1", "2" }, want: check.Skipped, msg: "TOK-008"},
		// TOK-010
		{name: "exactly 24 h", id: "TOK-010", claims: func(c map[string]any) { c["exp"] = c["iat"].(int64) + 86400 }, want: check.Passed},
		{name: "exp before iat", id: "TOK-010", claims: func(c map[string]any) { c["exp"] = c["iat"].(int64) - 1 }, want: check.Warning, msg: "never valid"},
		{name: "longer limit given", id: "TOK-010", claims: func(c map[string]any) { c["exp"] = c["iat"].(int64) + 48*3600 },
			mutate: func(t *evidence.Target) { t.Input.MaxTokenLifetime = evidence.Duration(72 * time.Hour) }, want: check.Passed},
		// TOK-011
		{name: "single aud", id: "TOK-011", want: check.Passed, msg: `gets "sts.amazonaws.com"`},
		{name: "several aud, no azp", id: "TOK-011", claims: func(c map[string]any) { c["aud"] = []string{"sts.amazonaws.com", "x"} },
			want: check.Warning, msg: "undocumented AWS behaviour; assume it is multi-valued"},
		{name: "azp equal to the only aud", id: "TOK-011", claims: func(c map[string]any) { c["azp"] = "sts.amazonaws.com" }, want: check.Passed, msg: "azp equals the only aud"},
		{name: "azp other than the only aud", id: "TOK-011", claims: func(c map[string]any) { c["azp"] = "my-client" }, want: check.Warning, msg: "gets azp"},
		{name: "azp not a string", id: "TOK-011", claims: func(c map[string]any) { c["azp"] = 1 }, want: check.Warning, msg: "not a string"},
		{name: "aud unusable", id: "TOK-011", claims: func(c map[string]any) { c["aud"] = 1 }, want: check.Skipped, msg: "TOK-006"},
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, func(t *testing.T) {
			h, c := goodHeader(), handClaims()
			if tt.header != nil {
				tt.header(h)
			}
			if tt.claims != nil {
				tt.claims(c)
			}
			target := hand(h, c)
			if tt.mutate != nil {
				tt.mutate(target)
			}
			k, ok := Checks().Lookup(tt.id)
			if !ok {
				t.Fatalf("no check %s", tt.id)
			}
			got := k.Judge(target)
			if got.Status != tt.want || !strings.Contains(got.Message, tt.msg) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, got.Status, got.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestNoTokenSkipsEverything(t *testing.T) {
	target := hand(goodHeader(), handClaims())
	target.Token = nil
	for _, k := range Checks() {
		if got := k.Judge(target); got.Status != check.Skipped || got.Message != NoToken {
			t.Errorf("%s = %s %q, want skipped %q", k.ID, got.Status, got.Message, NoToken)
		}
	}
}
