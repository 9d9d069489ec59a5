package claims

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
)

// observed is the evidence the probe records for raw: Observe, then Verify
// against jwks, for an EKS issuer probed at mintNow.
func observed(raw string, jwks []byte) *evidence.Target {
	tok := token.Observe(raw, "--token-file /var/run/secrets/eks.amazonaws.com/serviceaccount/token")
	tok.Verifications = token.Verify(context.Background(), raw, mintIssuer, jwks)
	return &evidence.Target{
		Input:    evidence.Input{Issuer: mintIssuer, Profile: "aws"},
		ProbedAt: mintNow,
		JWKS:     &evidence.Exchange{URL: mintIssuer + "/keys", Hops: []evidence.Hop{{URL: mintIssuer + "/keys", Status: 200, Body: jwks}}},
		Token:    tok,
	}
}

// judgeAll runs every check on t as a run does, prerequisites first.
func judgeAll(t *evidence.Target) map[string]check.Finding {
	return runner.JudgeAll(t, Checks())
}

// flagged lists the IDs that failed or warned, sorted.
func flagged(fs map[string]check.Finding) []string {
	ids := []string{}
	for id, f := range fs {
		if f.Status == check.Failed || f.Status == check.Warning {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

func TestCatalog(t *testing.T) {
	c := Checks()
	// TOK-003 requires JWKS-002: the whole catalog's test (suites) validates it.
	if err := c.ValidatePart(); err != nil {
		t.Fatal(err)
	}
	want := []string{"TOK-001", "TOK-002", "TOK-003", "TOK-004", "TOK-005", "TOK-006", "TOK-007", "TOK-008", "TOK-009", "TOK-010", "TOK-011", "TOK-012", "TOK-013"}
	if got := c.IDs(); !reflect.DeepEqual(got, want) {
		t.Errorf("IDs = %v, want %v", got, want)
	}
	for _, k := range c {
		if k.Area != Area {
			t.Errorf("%s: area %q", k.ID, k.Area)
		}
		want := check.Fail
		if k.ID == "TOK-010" || k.ID == "TOK-011" {
			want = check.Warn
		}
		if k.Severity != want {
			t.Errorf("%s: severity %s, want %s", k.ID, k.Severity, want)
		}
	}
}

func TestGoodEKSToken(t *testing.T) {
	fs := judgeAll(observed(mintRS256(t, eksClaims()), mintJWKS(t)))
	for _, id := range Checks().IDs() {
		if fs[id].Status != check.Passed {
			t.Errorf("%s: %s: %s", id, fs[id].Status, fs[id].Message)
		}
	}
}

// TestBrokenTokens mints one real token per way of breaking it and checks the
// exact set of checks that fail or warn. Where one defect breaks two rules,
// the second is either a real second finding (kept, and said so) or an echo
// of the first (the later check skips and points at the first).
func TestBrokenTokens(t *testing.T) {
	jwks := mintJWKS(t)
	iat := mintNow.Add(-time.Minute).Unix()
	tests := []struct {
		name  string
		raw   func(t *testing.T) string
		input func(in *evidence.Input)
		want  []string
		msg   map[string]string // ID -> substring of its message
	}{
		{name: "good", raw: func(t *testing.T) string { return mintRS256(t, eksClaims()) }, want: []string{}},
		{name: "three parts missing (no signature part)", want: []string{"TOK-001"},
			raw: func(t *testing.T) string {
				raw := mintRS256(t, eksClaims())
				return raw[:strings.LastIndexByte(raw, '.')]
			},
			msg: map[string]string{"TOK-001": "2 parts separated by '.', want 3"}},
		// Over STS's 20000 characters: a well-formed JWS (TOK-001 passes,
		// for every party) that STS's length rule (TOK-013) refuses; the
		// other checks judge it.
		{name: "over 20000 characters", want: []string{"TOK-013"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["pad"] = strings.Repeat("x", 20000) }))
			},
			msg: map[string]string{"TOK-013": "over STS's limit of 20000", "TOK-001": "compact JWS", "TOK-004": "the signature verifies"}},
		// Over the 64 KiB the harness decodes: only measured. For the aws
		// profile TOK-013 fails on its length and is the root of every
		// check that needs the decoded token; for the others nothing is
		// judged (not decoded), and nothing fails.
		{name: "over the decode cap, aws", want: []string{"TOK-013"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["pad"] = strings.Repeat("x", 80000) }))
			},
			msg: map[string]string{"TOK-013": "over STS's limit of 20000", "TOK-001": "not decoded", "TOK-012": "not judged: TOK-013 failed",
				"TOK-004": "not judged: TOK-013 failed", "TOK-005": "not judged: TOK-013 failed", "TOK-009": "not judged: TOK-013 failed"}},
		{name: "over the decode cap, oidc", want: []string{}, input: func(in *evidence.Input) { in.Profile = "oidc" },
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["pad"] = strings.Repeat("x", 80000) }))
			},
			msg: map[string]string{"TOK-013": "not part of the oidc profile", "TOK-001": "not decoded", "TOK-012": "the token was not decoded",
				"TOK-004": "the token was not decoded", "TOK-005": "the token was not decoded", "TOK-009": "the token was not decoded"}},
		// An unsigned token is refused by every relying party's algorithm
		// rule (TOK-012), its root: TOK-002 (STS's list) and TOK-004, which
		// require it, are not judged.
		{name: "alg none", want: []string{"TOK-012"},
			raw: func(t *testing.T) string { return unsigned(t, eksClaims()) },
			msg: map[string]string{"TOK-012": "unsigned", "TOK-002": "not judged: TOK-012 failed", "TOK-004": "not judged: TOK-012 failed"}},
		// Algorithm confusion: HS* is TOK-012's rule alone.
		{name: "HS256 signed with the public key PEM", want: []string{"TOK-012"},
			raw: func(t *testing.T) string { return mint(t, jwa.HS256(), publicKeyPEM(t), mintKid, eksClaims()) },
			msg: map[string]string{"TOK-012": "HMAC", "TOK-002": "not judged: TOK-012 failed", "TOK-004": "not judged: TOK-012 failed"}},
		// PS256: a signature every generic relying party verifies (TOK-012
		// and TOK-004 pass, whatever the profile: TOK-004 does not require
		// TOK-002); STS's list (TOK-002) alone refuses it.
		{name: "PS256", want: []string{"TOK-002"},
			raw: func(t *testing.T) string { return mint(t, jwa.PS256(), mintKey(), mintKid, eksClaims()) },
			msg: map[string]string{"TOK-012": "alg PS256", "TOK-002": "STS accepts", "TOK-004": "the signature verifies"}},
		// Without a kid STS's behaviour is unconfirmed: TOK-003 warns, and
		// the model tries every key, so TOK-004 judges the signature.
		{name: "missing kid", want: []string{"TOK-003"},
			raw: func(t *testing.T) string { return mint(t, jwa.RS256(), mintKey(), "", eksClaims()) },
			msg: map[string]string{"TOK-003": "no kid", "TOK-004": "verifies with key #1"}},
		{name: "missing kid, tampered", want: []string{"TOK-003", "TOK-004"},
			raw: func(t *testing.T) string { return tamper(mint(t, jwa.RS256(), mintKey(), "", eksClaims())) },
			msg: map[string]string{"TOK-003": "unconfirmed", "TOK-004": "does not verify"}},
		{name: "unknown kid", want: []string{"TOK-003"},
			raw: func(t *testing.T) string { return mint(t, jwa.RS256(), mintKey(), "rotated-away", eksClaims()) },
			msg: map[string]string{"TOK-003": `"rotated-away" is not in the JWKS`}},
		{name: "bad signature", want: []string{"TOK-004"},
			raw: func(t *testing.T) string { return tamper(mintRS256(t, eksClaims())) },
			msg: map[string]string{"TOK-004": "does not verify"}},
		// The signature is judged with the key's public numbers: a JWK alg
		// other than the token's does not make it fail (that is no rule of
		// STS the model knows, and the JWKS checks judge the JWK).
		{name: "RS384 header, key published as RS256", want: []string{},
			raw: func(t *testing.T) string { return mint(t, jwa.RS384(), mintKey(), mintKid, eksClaims()) },
			msg: map[string]string{"TOK-004": "verifies with key #1"}},
		{name: "iss with a trailing slash", want: []string{"TOK-005"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["iss"] = mintIssuer + "/" }))
			},
			msg: map[string]string{"TOK-005": "only by a trailing slash"}},
		{name: "aud missing", want: []string{"TOK-006"},
			raw: func(t *testing.T) string { return mintRS256(t, with(func(c map[string]any) { delete(c, "aud") })) },
			msg: map[string]string{"TOK-006": "Missing a required claim: aud"}},
		{name: "aud wrong", want: []string{"TOK-006"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["aud"] = []string{"https://kubernetes.default.svc"} }))
			},
			msg: map[string]string{"TOK-006": "Incorrect token audience"}},
		{name: "sub missing", want: []string{"TOK-007"},
			raw: func(t *testing.T) string { return mintRS256(t, with(func(c map[string]any) { delete(c, "sub") })) },
			msg: map[string]string{"TOK-007": "Missing a required claim: sub"}},
		{name: "sub of 300 characters", want: []string{"TOK-007"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["sub"] = strings.Repeat("s", 300) }))
			},
			msg: map[string]string{"TOK-007": "300 characters"}},
		// A string iat fails TOK-008 only: TOK-009 judges exp and nbf, and
		// TOK-010 skips, having no integer iat.
		{name: "iat as a string", want: []string{"TOK-008"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["iat"] = strconv.FormatInt(iat, 10) }))
			},
			msg: map[string]string{"TOK-008": "iat is a string"}},
		{name: "exp as a float", want: []string{"TOK-008"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["exp"] = json.Number(strconv.FormatInt(iat+86400, 10) + ".5") }))
			},
			msg: map[string]string{"TOK-008": "not an integer"}},
		// STS reads an exp in milliseconds as seconds (a date far ahead):
		// TOK-008 warns, and TOK-010 does not judge the same unit error again.
		{name: "exp in milliseconds", want: []string{"TOK-008"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["exp"] = (iat + 86400) * 1000 }))
			},
			msg: map[string]string{"TOK-008": "milliseconds", "TOK-010": "milliseconds (see TOK-008)"}},
		{name: "expired", want: []string{"TOK-009"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) {
					old := mintNow.Add(-25 * time.Hour).Unix()
					c["iat"], c["nbf"], c["exp"] = old, old, old+86400
				}))
			},
			msg: map[string]string{"TOK-009": "Token expired: current date/time 1760000000 must be before the expiration date/time 1759996400"}},
		{name: "iat in the future", want: []string{"TOK-009"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) {
					future := mintNow.Add(10 * time.Minute).Unix()
					c["iat"], c["exp"] = future, future+86400
				}))
			},
			msg: map[string]string{"TOK-009": "iat 1760000600 is after the current date/time 1760000000"}},
		{name: "nbf in the future", want: []string{"TOK-009"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["nbf"] = mintNow.Add(10 * time.Minute).Unix() }))
			},
			msg: map[string]string{"TOK-009": "nbf 1760000600"}},
		{name: "48 h lifetime", want: []string{"TOK-010"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["exp"] = iat + 48*3600 }))
			},
			msg: map[string]string{"TOK-010": "lifetime 48h0m0s"}},
		{name: "aud list of two plus azp", want: []string{"TOK-011"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) {
					c["aud"] = []string{"sts.amazonaws.com", "https://kubernetes.default.svc"}
					c["azp"] = "my-client"
				}))
			},
			msg: map[string]string{"TOK-011": `azp "my-client"`}},
		{name: "kubernetes profile: sub is not a service account", want: []string{"TOK-007"},
			input: func(in *evidence.Input) { in.Profile = "kubernetes" },
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["sub"] = "alice"; delete(c, "kubernetes.io") }))
			},
			msg: map[string]string{"TOK-007": "not a service account"}},
		{name: "sub disagrees with the kubernetes.io block", want: []string{"TOK-007"},
			raw: func(t *testing.T) string {
				return mintRS256(t, with(func(c map[string]any) { c["sub"] = "system:serviceaccount:kube-system:my-sa" }))
			},
			msg: map[string]string{"TOK-007": `namespace "kube-system" differs from kubernetes.io.namespace "default"`}},
		{name: "--audience other than the token's", want: []string{"TOK-006"},
			input: func(in *evidence.Input) { in.Audience = "my-app" },
			raw:   func(t *testing.T) string { return mintRS256(t, eksClaims()) },
			msg:   map[string]string{"TOK-006": `does not contain "my-app"`}},
		{name: "--max-token-lifetime 1h", want: []string{"TOK-010"},
			input: func(in *evidence.Input) { in.MaxTokenLifetime = evidence.Duration(time.Hour) },
			raw:   func(t *testing.T) string { return mintRS256(t, eksClaims()) },
			msg:   map[string]string{"TOK-010": "over 1h0m0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := observed(tt.raw(t), jwks)
			if tt.input != nil {
				tt.input(&target.Input)
			}
			fs := judgeAll(target)
			if got := flagged(fs); !reflect.DeepEqual(got, tt.want) {
				for _, id := range got {
					t.Logf("%s: %s", id, fs[id].Message)
				}
				t.Errorf("failed or warned: %v, want %v", got, tt.want)
			}
			for id, part := range tt.msg {
				if !strings.Contains(fs[id].Message, part) {
					t.Errorf("%s message %q, want it to contain %q", id, fs[id].Message, part)
				}
			}
		})
	}
}
