package discovery

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

const iss = "https://issuer.test/id/ABC"

var goodDoc = map[string]any{
	"issuer":                                iss,
	"jwks_uri":                              iss + "/keys",
	"authorization_endpoint":                "urn:kubernetes:programmatic_authorization",
	"response_types_supported":              []string{"id_token"},
	"subject_types_supported":               []string{"public"},
	"claims_supported":                      []string{"sub", "iss"},
	"id_token_signing_alg_values_supported": []string{"RS256"},
}

const goodJWKS = `{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"}]}`

// target builds evidence for a discovery document (edited by edit) and a JWKS.
func target(edit func(doc map[string]any), mutate func(t *evidence.Target)) *evidence.Target {
	doc := map[string]any{}
	for k, v := range goodDoc {
		doc[k] = v
	}
	if edit != nil {
		edit(doc)
	}
	body, _ := json.Marshal(doc)
	t := &evidence.Target{
		Input:    evidence.Input{Issuer: iss, Profile: "aws"},
		ProbedAt: time.Now(),
		Discovery: &evidence.Exchange{URL: iss + "/.well-known/openid-configuration", Elapsed: evidence.Duration(20 * time.Millisecond),
			Hops: []evidence.Hop{{URL: iss + "/.well-known/openid-configuration", Status: 200,
				Header: map[string][]string{"Content-Type": {"application/json"}}, Body: body}}},
		JWKS: &evidence.Exchange{URL: iss + "/keys", Hops: []evidence.Hop{{URL: iss + "/keys", Status: 200, Body: []byte(goodJWKS)}}},
	}
	if mutate != nil {
		mutate(t)
	}
	return t
}

func final(t *evidence.Target) *evidence.Hop { return t.Discovery.Final() }

func TestJudges(t *testing.T) {
	tests := []struct {
		name   string
		id     string
		edit   func(map[string]any)
		mutate func(*evidence.Target)
		want   check.Status
		msg    string
	}{
		{name: "good", id: "DISC-001", want: check.Passed},
		{name: "connection refused", id: "DISC-001", mutate: func(t *evidence.Target) { t.Discovery.Hops = nil; t.Discovery.Err = "connection refused" }, want: check.Failed, msg: "connection refused"},
		{name: "404", id: "DISC-001", mutate: func(t *evidence.Target) { final(t).Status = 404 }, want: check.Failed, msg: "404"},
		{name: "redirect loop", id: "DISC-001", mutate: func(t *evidence.Target) { final(t).Status = 302; t.Discovery.Err = "stopped after 5 redirects" }, want: check.Failed},
		{name: "no redirect", id: "DISC-002", want: check.Passed},
		{name: "redirect", id: "DISC-002", mutate: func(t *evidence.Target) {
			t.Discovery.Hops = append([]evidence.Hop{{URL: "https://a", Status: 301}}, t.Discovery.Hops...)
		}, want: check.Warning, msg: "https://a (301)"},
		{name: "json charset", id: "DISC-003", mutate: func(t *evidence.Target) {
			final(t).Header["Content-Type"] = []string{"application/json; charset=utf-8"}
		}, want: check.Passed},
		{name: "text/html", id: "DISC-003", mutate: func(t *evidence.Target) { final(t).Header["Content-Type"] = []string{"text/html"} }, want: check.Warning},
		{name: "not json", id: "DISC-004", mutate: func(t *evidence.Target) { final(t).Body = []byte("<html>") }, want: check.Failed},
		{name: "json array", id: "DISC-004", mutate: func(t *evidence.Target) { final(t).Body = []byte("[1]") }, want: check.Failed},
		{name: "trailing data", id: "DISC-004", mutate: func(t *evidence.Target) { final(t).Body = append(final(t).Body, []byte(" {}")...) }, want: check.Failed},
		{name: "null", id: "DISC-004", mutate: func(t *evidence.Target) { final(t).Body = []byte("null") }, want: check.Failed},
		{name: "over the cap", id: "DISC-004", mutate: func(t *evidence.Target) { final(t).Truncated = true; t.Discovery.Err = "larger than cap" }, want: check.Failed},
		{name: "500 over the cap", id: "DISC-001", mutate: func(t *evidence.Target) {
			final(t).Status, final(t).Truncated, t.Discovery.Err = 500, true, "larger than cap"
		}, want: check.Failed, msg: "500"},
		{name: "over the cap is served", id: "DISC-001", mutate: func(t *evidence.Target) { final(t).Truncated = true; t.Discovery.Err = "larger than cap" }, want: check.Passed},
		{name: "issuer equal", id: "DISC-005", want: check.Passed},
		{name: "issuer slash", id: "DISC-005", edit: func(d map[string]any) { d["issuer"] = iss + "/" }, want: check.Failed, msg: "byte for byte"},
		{name: "issuer missing", id: "DISC-005", edit: func(d map[string]any) { delete(d, "issuer") }, want: check.Failed},
		{name: "issuer not a string", id: "DISC-005", edit: func(d map[string]any) { d["issuer"] = 7 }, want: check.Failed},
		{name: "no document skips", id: "DISC-005", mutate: func(t *evidence.Target) { final(t).Status = 500 }, want: check.Skipped},
		{name: "issuer url good", id: "DISC-006", want: check.Passed},
		{name: "issuer http", id: "DISC-006", mutate: func(t *evidence.Target) { t.Input.Issuer = "http://issuer.test" }, want: check.Failed},
		{name: "issuer query", id: "DISC-006", mutate: func(t *evidence.Target) { t.Input.Issuer = "https://issuer.test/?a=b" }, want: check.Failed},
		{name: "issuer fragment", id: "DISC-006", mutate: func(t *evidence.Target) { t.Input.Issuer = "https://issuer.test/#x" }, want: check.Failed},
		{name: "issuer userinfo", id: "DISC-006", mutate: func(t *evidence.Target) { t.Input.Issuer = "https://u:p@issuer.test/" }, want: check.Failed},
		{name: "issuer too long", id: "DISC-006", mutate: func(t *evidence.Target) { t.Input.Issuer = "https://issuer.test/" + strings.Repeat("a", 250) }, want: check.Failed},
		{name: "issuer port is DISC-014's", id: "DISC-006", mutate: func(t *evidence.Target) { t.Input.Issuer = "https://issuer.test:8443" }, want: check.Passed},
		{name: "issuer port", id: "DISC-014", mutate: func(t *evidence.Target) { t.Input.Issuer = "https://issuer.test:8443" }, want: check.Warning, msg: "port 8443"},
		{name: "issuer without port", id: "DISC-014", want: check.Passed},
		{name: "issuer port oidc", id: "DISC-006", mutate: func(t *evidence.Target) { t.Input.Issuer = "https://issuer.test:8443"; t.Input.Profile = "oidc" }, want: check.Passed},
		{name: "jwks_uri good", id: "DISC-007", want: check.Passed},
		{name: "jwks_uri http", id: "DISC-007", edit: func(d map[string]any) { d["jwks_uri"] = "http://issuer.test/keys" }, want: check.Failed},
		{name: "jwks_uri relative", id: "DISC-007", edit: func(d map[string]any) { d["jwks_uri"] = "/keys" }, want: check.Failed},
		{name: "jwks_uri missing", id: "DISC-007", edit: func(d map[string]any) { delete(d, "jwks_uri") }, want: check.Failed},
		{name: "response types", id: "DISC-008", want: check.Passed},
		{name: "response types missing", id: "DISC-008", edit: func(d map[string]any) { delete(d, "response_types_supported") }, want: check.Failed},
		{name: "response types a string", id: "DISC-008", edit: func(d map[string]any) { d["response_types_supported"] = "id_token" }, want: check.Failed},
		{name: "subject types empty", id: "DISC-009", edit: func(d map[string]any) { d["subject_types_supported"] = []string{} }, want: check.Failed},
		{name: "algs good", id: "DISC-010", want: check.Passed},
		{name: "algs none", id: "DISC-010", edit: func(d map[string]any) { d["id_token_signing_alg_values_supported"] = []string{"RS256", "none"} }, want: check.Failed},
		{name: "algs HS256 only aws", id: "DISC-010", edit: func(d map[string]any) { d["id_token_signing_alg_values_supported"] = []string{"HS256"} }, want: check.Failed},
		{name: "algs PS256 oidc", id: "DISC-010", edit: func(d map[string]any) { d["id_token_signing_alg_values_supported"] = []string{"PS256"} },
			mutate: func(t *evidence.Target) { t.Input.Profile = "oidc" }, want: check.Passed},
		{name: "algs missing", id: "DISC-010", edit: func(d map[string]any) { delete(d, "id_token_signing_alg_values_supported") }, want: check.Failed},
		{name: "algs match", id: "DISC-011", want: check.Passed},
		{name: "algs extra", id: "DISC-011", edit: func(d map[string]any) { d["id_token_signing_alg_values_supported"] = []string{"RS256", "ES256"} }, want: check.Warning, msg: "ES256"},
		{name: "algs none ignored", id: "DISC-011", edit: func(d map[string]any) { d["id_token_signing_alg_values_supported"] = []string{"RS256", "none"} }, want: check.Passed},
		{name: "key alg not advertised", id: "DISC-011", edit: func(d map[string]any) { d["id_token_signing_alg_values_supported"] = []string{"RS384"} }, want: check.Warning},
		{name: "no jwks", id: "DISC-011", mutate: func(t *evidence.Target) { t.JWKS = nil }, want: check.Skipped},
		{name: "fast", id: "DISC-012", want: check.Passed},
		{name: "slow", id: "DISC-012", mutate: func(t *evidence.Target) { t.Discovery.Elapsed = evidence.Duration(2 * time.Second) }, want: check.Warning},
		{name: "too slow for STS is DISC-015's", id: "DISC-012", mutate: func(t *evidence.Target) { t.Discovery.Elapsed = evidence.Duration(6 * time.Second) }, want: check.Skipped, msg: "not judged: DISC-015 failed"},
		{name: "within STS's limit", id: "DISC-015", mutate: func(t *evidence.Target) { t.Discovery.Elapsed = evidence.Duration(2 * time.Second) }, want: check.Passed},
		{name: "too slow for STS", id: "DISC-015", mutate: func(t *evidence.Target) { t.Discovery.Elapsed = evidence.Duration(6 * time.Second) }, want: check.Failed, msg: "5 s"},
		{name: "timed out is DISC-001's", id: "DISC-015", mutate: func(t *evidence.Target) {
			t.Discovery.Hops = nil
			t.Discovery.Elapsed = evidence.Duration(15 * time.Second)
		}, want: check.Skipped, msg: "not judged: DISC-001 failed"},
		{name: "members of RFC 8414", id: "DISC-013", edit: func(d map[string]any) {
			d["introspection_endpoint_auth_signing_alg_values_supported"] = []string{"RS256"}
			d["revocation_endpoint_auth_signing_alg_values_supported"] = []string{"RS256"}
			d["revocation_endpoint"] = iss + "/revoke"
		}, want: check.Passed, msg: "all standard"},
		{name: "members standard", id: "DISC-013", want: check.Passed},
		{name: "members unusual", id: "DISC-013", edit: func(d map[string]any) { d["x_custom"] = 1 }, want: check.Passed, msg: "x_custom"},
		{name: "members misspelled", id: "DISC-013", edit: func(d map[string]any) { d["jwks_url"] = "x" }, want: check.Warning, msg: "jwks_uri"},
	}
	cat := Checks()
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, func(t *testing.T) {
			c, ok := cat.Lookup(tt.id)
			if !ok {
				t.Fatalf("no check %s", tt.id)
			}
			f := c.Judge(target(tt.edit, tt.mutate))
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, f.Status, f.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestCatalogValid(t *testing.T) {
	c := Checks()
	if err := c.ValidatePart(); err != nil {
		t.Fatal(err)
	}
	if len(c) != 15 {
		t.Errorf("%d checks, want DISC-001..015", len(c))
	}
}

// FuzzDiscoveryDocument feeds arbitrary bodies to every discovery judgement:
// none may panic, and each must reach a verdict.
func FuzzDiscoveryDocument(f *testing.F) {
	good, _ := json.Marshal(goodDoc)
	for _, s := range []string{string(good), "", "null", "[]", "{", `{"issuer":1}`, `{"jwks_uri":"http://x"}`,
		`{"id_token_signing_alg_values_supported":[1,null]}`, `{"a":1} {"b":2}`, `{"jwks_url":""}`} {
		f.Add([]byte(s))
	}
	cat := Checks()
	f.Fuzz(func(t *testing.T, body []byte) {
		tg := target(nil, func(t *evidence.Target) { final(t).Body = body })
		for _, c := range cat {
			if f := c.Judge(tg); f.Status == "" {
				t.Fatalf("%s: empty status", c.ID)
			}
		}
	})
}
