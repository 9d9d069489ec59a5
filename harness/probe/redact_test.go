package probe

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// R and R2 are the first and second placeholders as they appear in a body.
const (
	R  = `"` + Redacted + `"`
	R2 = `"cmVkYWN0ZWQtYnktb2lkYy1jb25mb3JtYW5jZS0y"`
)

func TestRedactedIsBase64url(t *testing.T) {
	if !isBase64url(Redacted) {
		t.Fatalf("Redacted %q is not unpadded base64url", Redacted)
	}
	if isBase64url(Redacted + "==") {
		t.Fatalf("the padded placeholder passes as unpadded base64url")
	}
	if got := `"` + placeholder(2) + `"`; got != R2 || !isBase64url(placeholder(2)) {
		t.Fatalf("placeholder(2) = %s, want %s", got, R2)
	}
}

func TestRedactJWKS(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"rsa private members",
			`{"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB","d":"c2VjcmV0","p":"cA","q":"cQ","dp":"ZHA","dq":"ZHE","qi":"cWk"}]}`,
			`{"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB","d":` + R + `,"p":` + R + `,"q":` + R + `,"dp":` + R + `,"dq":` + R + `,"qi":` + R + `}]}`},
		{"layout kept",
			"{\n  \"keys\" : [\n    { \"d\" : \"c2VjcmV0\" ,\"kty\":\"EC\", \"x\":\"AA\" }\n  ]\n}\n",
			"{\n  \"keys\" : [\n    { \"d\" : " + R + " ,\"kty\":\"EC\", \"x\":\"AA\" }\n  ]\n}\n"},
		{"ec and okp d",
			`{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AAAA"},{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AAAA"}]}`,
			`{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":` + R + `},{"kty":"OKP","crv":"Ed25519","x":"AA","d":` + R + `}]}`},
		{"oct k", `{"keys":[{"kty":"oct","k":"c2VjcmV0","alg":"HS256"}]}`, `{"keys":[{"kty":"oct","k":` + R + `,"alg":"HS256"}]}`},
		{"k of a key without kty or of an unknown kty",
			`{"keys":[{"k":"c2VjcmV0"},{"kty":"foo","k":"AAAA"}]}`, `{"keys":[{"k":` + R + `},{"kty":"foo","k":` + R2 + `}]}`},
		{"distinct secrets stay distinct, equal ones equal",
			`{"keys":[{"kty":"oct","k":"AAAA"},{"kty":"oct","k":"AAAB"},{"kty":"oct","k":"AAAA"},{"kty":"oct","k":"AAA="},{"kty":"oct","k":"AAA"}]}`,
			`{"keys":[{"kty":"oct","k":` + R + `},{"kty":"oct","k":` + R2 + `},{"kty":"oct","k":` + R + `},{"kty":"oct","k":"` + placeholder(3) + `=="},{"kty":"oct","k":"` + placeholder(3) + `"}]}`},
		{"numbered per member", `{"keys":[{"kty":"RSA","d":"AAAA","p":"BBBB"},{"kty":"RSA","d":"CCCC","p":"BBBB"}]}`,
			`{"keys":[{"kty":"RSA","d":` + R + `,"p":` + R + `},{"kty":"RSA","d":` + R2 + `,"p":` + R + `}]}`},
		{"only what is kept is numbered", `{"keys":[{"kty":"RSA","k":"AAAA"},{"kty":"oct","k":"BBBB"}]}`,
			`{"keys":[{"kty":"RSA","k":"AAAA"},{"kty":"oct","k":` + R + `}]}`},
		{"k is no member of RSA, EC or OKP",
			`{"keys":[{"kty":"RSA","k":"AAAA"},{"k":"AAAA","kty":"EC"},{"kty":"OKP","k":"AAAA"}]}`,
			`{"keys":[{"kty":"RSA","k":"AAAA"},{"k":"AAAA","kty":"EC"},{"kty":"OKP","k":"AAAA"}]}`},
		{"kty after the private member", `{"keys":[{"d":"AAAA","kty":"RSA"}]}`, `{"keys":[{"d":` + R + `,"kty":"RSA"}]}`},
		{"malformed values keep their defect",
			`{"keys":[{"kty":"RSA","d":"AAA=","p":"a+b/","q":"","dp":12345,"dq":null,"qi":true,"oth":"!!"}]}`,
			`{"keys":[{"kty":"RSA","d":"` + Redacted + `==","p":"` + Redacted + `==","q":"","dp":0,"dq":null,"qi":true,"oth":"` + Redacted + `."}]}`},
		{"oth and an object d are redacted inside",
			`{"keys":[{"kty":"RSA","oth":[{"r":"AAAA","d":"AAAA","t":"AAAA"}],"d":{"v":"AAAA","n":[1,"x"]}}]}`,
			`{"keys":[{"kty":"RSA","oth":[{"r":` + R + `,"d":` + R + `,"t":` + R + `}],"d":{"v":` + R + `,"n":[0,"` + placeholder(2) + `."]}}]}`},
		{"escaped names", `{"\u006beys":[{"kty":"RSA","\u0064":"AAAA"}]}`, `{"\u006beys":[{"kty":"RSA","\u0064":` + R + `}]}`},
		{"escaped value", `{"keys":[{"kty":"RSA","d":"\u0041AAA"}]}`, `{"keys":[{"kty":"RSA","d":` + R + `}]}`},
		{"bare key", `{"d":"AAAA","kty":"EC","x":"AA"}`, `{"d":` + R + `,"kty":"EC","x":"AA"}`},
		{"bare oct key", `{"kty":"oct","k":"AAAA"}`, `{"kty":"oct","k":` + R + `}`},
		{"a top-level object that is no key", `{"d":"AAAA","k":"AAAA","keys":[]}`, `{"d":"AAAA","k":"AAAA","keys":[]}`},
		{"names are case-sensitive", `{"keys":[{"kty":"RSA","D":"AAAA","Keys":1}],"KEYS":[{"d":"AAAA"}]}`,
			`{"keys":[{"kty":"RSA","D":"AAAA","Keys":1}],"KEYS":[{"d":"AAAA"}]}`},
		{"not keys of a set", `{"keys":[[{"d":"AAAA"}],"d",{"x":{"d":"AAAA"}}],"other":{"d":"AAAA"}}`,
			`{"keys":[[{"d":"AAAA"}],"d",{"x":{"d":"AAAA"}}],"other":{"d":"AAAA"}}`},
		{"duplicate members", `{"keys":[{"kty":"RSA","d":"AAAA","d":"BBBB"}],"keys":[{"kty":"oct","k":"AAAA"}]}`,
			`{"keys":[{"kty":"RSA","d":` + R + `,"d":` + R2 + `}],"keys":[{"kty":"oct","k":` + R + `}]}`},
		{"public keys only", `{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`, `{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`},
		{"already redacted", `{"keys":[{"kty":"RSA","d":` + R + `}]}`, `{"keys":[{"kty":"RSA","d":` + R + `}]}`},
		{"html", `<html>{"keys":[{"d":"AAAA"}]}</html>`, `<html>{"keys":[{"d":"AAAA"}]}</html>`},
		{"empty", ``, ``},
		{"array", `[{"keys":[{"d":"AAAA"}]}]`, `[{"keys":[{"d":"AAAA"}]}]`},
		{"cut short in a private value", `{"keys":[{"kty":"RSA","n":"AQAB","d":"c2Vjc`, `{"keys":[{"kty":"RSA","n":"AQAB","d":` + R},
		{"cut short after a private value", `{"keys":[{"kty":"RSA","d":"AAAA","p":"AA`, `{"keys":[{"kty":"RSA","d":` + R + `,"p":` + R},
		{"cut short before kty", `{"keys":[{"kty":"RSA","k":"AAAA"},{"k":"AAAA","kt`, `{"keys":[{"kty":"RSA","k":"AAAA"},{"k":` + R + `,"kt`},
		{"broken inside a private value", "{\"keys\":[{\"kty\":\"RSA\",\"d\":\"AA\x01AA\"},{\"kty\":\"RSA\"}]}", `{"keys":[{"kty":"RSA","d":` + R},
		{"broken after a private value", `{"keys":[{"kty":"RSA","d":"AAAA"} x]}`, `{"keys":[{"kty":"RSA","d":` + R + `} x]}`},
		{"trailing data", `{"keys":[{"kty":"RSA","d":"AAAA"}]} {"d":"AAAA"}`, `{"keys":[{"kty":"RSA","d":` + R + `}]} {"d":"AAAA"}`},
	} {
		in := []byte(tt.in)
		got := RedactJWKS(in)
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		if string(in) != tt.in {
			t.Errorf("%s: the input was modified", tt.name)
		}
		if json.Valid(in) != json.Valid(got) {
			t.Errorf("%s: json.Valid %v before, %v after", tt.name, json.Valid(in), json.Valid(got))
		}
		if again := RedactJWKS(got); !bytes.Equal(again, got) {
			t.Errorf("%s: redacting twice gave %s", tt.name, again)
		}
	}
	// Nothing to redact: the very same slice.
	pub := []byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`)
	if got := RedactJWKS(pub); &got[0] != &pub[0] {
		t.Error("a body with nothing to redact was copied")
	}
}

// FuzzRedactJWKS: no panic, the input untouched, validity kept, and valid
// JSON keeps its shape and is not changed by a second redaction.
func FuzzRedactJWKS(f *testing.F) {
	for _, s := range []string{
		`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AAAA","oth":[{"r":"AA"}]}]}`,
		`{"kty":"oct","k":"AAAA"}`, `{"keys":[{"d":-1.5e3,"k":{"a":["b",1]}}]}`,
		`{"keys":[{"d":"\ud800"}]}`, `{"keys":[{"d":"AA`, `1E1000`, `{"keys":[{"d":tru}]}`, `{"keys":[{"d":10.0.0}]}`, `{"keys":[{"d":1e5e}]}`, `{`, ``, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		orig := bytes.Clone(body)
		got := RedactJWKS(body)
		if !bytes.Equal(body, orig) {
			t.Fatal("the input was modified")
		}
		if json.Valid(body) != json.Valid(got) {
			t.Fatalf("json.Valid %v before, %v after: %q -> %q", json.Valid(body), json.Valid(got), body, got)
		}
		if !json.Valid(body) {
			return
		}
		if again := RedactJWKS(got); !bytes.Equal(again, got) {
			t.Fatalf("redacting twice: %q -> %q -> %q", body, got, again)
		}
		if shape(t, body) != shape(t, got) {
			t.Fatalf("shape changed: %q -> %q", body, got)
		}
	})
}

// shape is a JSON document with every string and number replaced by its
// type.
func shape(t *testing.T, doc []byte) string {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber() // 1e1000 is valid JSON
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("valid JSON %q did not decode: %v", doc, err)
	}
	return shapeOf(v)
}

func shapeOf(v any) string {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]string{}
		for k, e := range v {
			m[k] = shapeOf(e)
		}
		b, _ := json.Marshal(m)
		return string(b)
	case []any:
		s := make([]string, len(v))
		for i, e := range v {
			s[i] = shapeOf(e)
		}
		b, _ := json.Marshal(s)
		return string(b)
	case string:
		return "string"
	case json.Number:
		return "number"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// privateSet is a key set that leaks a (made-up) private exponent.
const privateSet = `{"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB","d":"dG9wLXNlY3JldA"}]}`

// TestFetchesRedact: the repeated fetches, each replica's answer and each
// poll are recorded redacted.
func TestFetchesRedact(t *testing.T) {
	var addrs []string
	var roots []*x509.Certificate
	for range 2 {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(privateSet))
		}))
		t.Cleanup(srv.Close)
		addrs, roots = append(addrs, srv.Listener.Addr().String()), append(roots, srv.Certificate())
	}
	c := fetch.New(fetch.Options{ExtraRoots: roots, Resolve: map[string][]string{"example.com:443": addrs}})
	defer c.CloseIdle()
	const u = "https://example.com/keys"
	ctx := context.Background()
	var exs []*evidence.Exchange
	exs = append(exs, Repeats(ctx, c, u, 2)...)
	for _, r := range Replicas(ctx, c, u) {
		exs = append(exs, r.JWKS)
	}
	for _, p := range Watch(ctx, c, u, WatchOptions{}) {
		exs = append(exs, p.JWKS)
	}
	if len(exs) != 5 {
		t.Fatalf("%d fetches, want 2 repeats, 2 replicas and 1 poll", len(exs))
	}
	want := strings.Replace(privateSet, `"dG9wLXNlY3JldA"`, R, 1)
	for i, ex := range exs {
		if h := ex.Final(); h == nil || string(h.Body) != want {
			t.Errorf("fetch %d: %+v, want body %s", i, ex, want)
		}
	}
}

// TestProbeRedactsPublishedPrivateKey probes the fixture issuer that
// publishes its signing key's private members: the evidence holds none of
// their values, and the token still verifies against the keys as served.
func TestProbeRedactsPublishedPrivateKey(t *testing.T) {
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := issuer.New(issuer.Config{Defects: []string{"private-key-published"}, CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c := fetch.New(fetch.Options{Resolve: srv.ResolveAll(), ExtraRoots: []*x509.Certificate{ca.Root}})
	t.Cleanup(c.CloseIdle)
	sc, err := srv.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// The fixture's key as it serves it.
	jwksURI, reason := JWKSURI(c.Get(ctx, DiscoveryURL(srv.IssuerURL()), "application/json"))
	if reason != "" {
		t.Fatal(reason)
	}
	served := c.Get(ctx, jwksURI, JWKSAccept).Final()
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if served == nil || json.Unmarshal(served.Body, &set) != nil {
		t.Fatalf("the fixture's JWKS: %+v", served)
	}
	secrets := map[string]string{}
	for _, k := range set.Keys {
		for _, m := range []string{"d", "p", "q", "dp", "dq", "qi"} {
			if v, ok := k[m].(string); ok {
				secrets[m] = v
			}
		}
	}
	if len(secrets) != 6 {
		t.Fatalf("the fixture serves private members %v, want d, p, q, dp, dq and qi", secrets)
	}

	tg := Target(ctx, c, Job{
		Input: evidence.Input{Issuer: srv.IssuerURL(), Profile: "aws", Audience: sc.Audience},
		Token: sc.Token, TokenSource: "fixture",
		Watch: &WatchOptions{}, // one poll
	})
	var buf bytes.Buffer
	if err := (&evidence.Run{Targets: []*evidence.Target{tg}}).Write(&buf); err != nil {
		t.Fatal(err)
	}
	// Bodies are base64 in the evidence file: look in them decoded as well.
	var bodies []string
	for _, ex := range append(append([]*evidence.Exchange{tg.JWKS}, tg.Repeats...), tg.Polls[0].JWKS) {
		bodies = append(bodies, string(ex.Final().Body))
	}
	for _, r := range tg.Replicas {
		bodies = append(bodies, string(r.JWKS.Final().Body))
	}
	if len(bodies) != 2+RepeatFetches {
		t.Errorf("%d JWKS fetches recorded, want %d", len(bodies), 2+RepeatFetches)
	}
	for m, v := range secrets {
		if strings.Contains(buf.String(), v) {
			t.Errorf("the evidence file holds the fixture's %s", m)
		}
		for i, b := range bodies {
			if strings.Contains(b, v) {
				t.Errorf("JWKS fetch %d holds the fixture's %s", i, m)
			}
			if !strings.Contains(b, `"`+m+`":`+R) {
				t.Errorf("JWKS fetch %d has no redacted %s: %s", i, m, b)
			}
		}
	}
	if tg.Token == nil || len(tg.Token.Verifications) == 0 {
		t.Fatal("the token was not verified")
	}
	for _, v := range tg.Token.Verifications {
		if !v.OK {
			t.Errorf("%s did not verify the token against the keys as served: %s", v.Verifier, v.Error)
		}
	}
}

// TestRedactDeepNesting: a body nested far deeper than JSON allows is
// scanned in bounded stack and returned as it is.
func TestRedactDeepNesting(t *testing.T) {
	body := []byte(`{"issuer":` + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000) + `}`)
	if got := RedactJWKS(body); !bytes.Equal(got, body) {
		t.Error("the body changed")
	}
	deepKey := []byte(`{"keys":[{"kty":"EC","d":"c2VjcmV0","x":` + strings.Repeat("[", 20_000) + `}]}`)
	if got := RedactJWKS(deepKey); bytes.Contains(got, []byte("c2VjcmV0")) {
		t.Errorf("a private member before the break was kept: %.80s", got)
	}
}
