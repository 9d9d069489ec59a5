package stsrules

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestProviderNames(t *testing.T) {
	for _, url := range []string{testProvider.URL, "https://" + testProvider.URL} {
		p := Provider{URL: url}
		if p.Host() != testProvider.URL || p.Issuer() != testIssuer {
			t.Errorf("%q: Host %q Issuer %q", url, p.Host(), p.Issuer())
		}
		if got, want := p.ARN("123456789012"), "arn:aws:iam::123456789012:oidc-provider/"+testProvider.URL; got != want {
			t.Errorf("ARN = %q, want %q", got, want)
		}
	}
	p := Provider{Thumbprints: []string{"9E99A48A9960B14926BB7F3B02E22DA2B0AB7280"}}
	if !p.HasThumbprint("9e99a48a9960b14926bb7f3b02e22da2b0ab7280") || p.HasThumbprint("00") {
		t.Error("HasThumbprint")
	}
}

func TestProviderValidate(t *testing.T) {
	ok := Provider{URL: testProvider.URL, ClientIDs: []string{"sts.amazonaws.com"},
		Thumbprints: []string{"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"}}
	many := func(n int, s string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	tests := []struct {
		name   string
		change func(*Provider)
		want   string
	}{
		{"good", func(*Provider) {}, ""},
		{"with https", func(p *Provider) { p.URL = "https://" + p.URL }, ""},
		{"http", func(p *Provider) { p.URL = "http://x" }, "not https"},
		{"query", func(p *Provider) { p.URL = "x.example.com/?a=b" }, "query"},
		{"fragment", func(p *Provider) { p.URL = "x.example.com/#f" }, "fragment"},
		{"user info", func(p *Provider) { p.URL = "u@x.example.com" }, "user info"},
		{"no host", func(p *Provider) { p.URL = "/path" }, "no host"},
		{"too long", func(p *Provider) { p.URL = "x.example.com/" + strings.Repeat("a", 250) }, "longer than 255"},
		{"no client IDs", func(p *Provider) { p.ClientIDs = nil }, "0 client IDs"},
		{"101 client IDs", func(p *Provider) { p.ClientIDs = many(101, "a") }, "101 client IDs"},
		{"empty client ID", func(p *Provider) { p.ClientIDs = []string{""} }, "1..255 characters"},
		{"6 thumbprints", func(p *Provider) { p.Thumbprints = many(6, ok.Thumbprints[0]) }, "6 thumbprints"},
		{"short thumbprint", func(p *Provider) { p.Thumbprints = []string{"abcd"} }, "not 40 hex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			p.ClientIDs = append([]string(nil), ok.ClientIDs...)
			tt.change(&p)
			err := p.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestParseIAMProvider(t *testing.T) {
	want := Provider{URL: testProvider.URL, ClientIDs: []string{"sts.amazonaws.com"},
		Thumbprints: []string{"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"}}
	cli := `{"Url":"` + testProvider.URL + `","ClientIDList":["sts.amazonaws.com"],` +
		`"ThumbprintList":["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],"CreateDate":"2024-01-01T00:00:00Z","Tags":[]}`
	own := `{"url":"` + testProvider.URL + `","client_ids":["sts.amazonaws.com"],"thumbprints":["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]}`
	for name, in := range map[string]string{"aws cli": cli, "own": own} {
		got, err := ParseIAMProvider([]byte(in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, %v", name, got, err)
		}
	}
	for _, bad := range []string{`[]`, `{}`, `{"Url":"x.example.com","ClientIDList":[]}`, `{"url":"http://x","client_ids":["a"]}`} {
		if _, err := ParseIAMProvider([]byte(bad)); err == nil {
			t.Errorf("ParseIAMProvider(%s) succeeded", bad)
		}
	}
}

func TestParseJWKS(t *testing.T) {
	doc := `{"keys":[
		{"kty":"RSA","kid":"","use":"sig","alg":"RS256","n":"` + rsaN(t) + `","e":"AQAB"},
		{"kty":"RSA","use":"sig","n":"` + rsaN(t) + `","e":"AQAB"},
		{"kty":"RSA","kid":"enc","use":"enc","n":"` + rsaN(t) + `","e":"AQAB"},
		{"kty":"oct","kid":"sym","k":"c2VjcmV0"},
		{"kty":"RSA","kid":"broken","n":"!!!","e":"AQAB"},
		{"kty":"RSA","kid":"good","n":"` + rsaN(t) + `","e":"AQAB"}]}`
	keys, err := ParseJWKS([]byte(doc))
	if err != nil {
		t.Fatalf("ParseJWKS: %v", err)
	}
	var got []string
	for _, k := range keys {
		got = append(got, fmt.Sprintf("%d %s/%v/%s/%s", k.Index, k.ID, k.HasID, k.Algorithm, k.Unusable))
	}
	want := []string{"0 /true/RS256/", "1 /false//", "2 enc/true//", "3 sym/true//key-symmetric", "4 broken/true//key-parse", "5 good/true//"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys\n got %v\nwant %v", got, want)
	}
	if k, err := SelectKeys(keys, Header{Kid: "", HasKid: true}); err != nil || len(k) != 1 || k[0].Algorithm != "RS256" {
		t.Errorf(`SelectKeys("") = %+v, %v; want the key published with "kid": "" alone`, k, err)
	}
	if k, err := SelectKeys(keys, Header{}); err != nil || len(k) != len(keys) {
		t.Errorf("SelectKeys(no kid) = %d keys, %v; want every key", len(k), err)
	}
	for _, doc := range []string{`{"keys":"x"}`, `{"keys":[]}`, `{}`, `[1]`} {
		if _, err := ParseJWKS([]byte(doc)); err == nil || err.Rule != RuleKeySet {
			t.Errorf("ParseJWKS(%s) = %v, want a %s refusal", doc, err, RuleKeySet)
		}
	}
}

// rsaN is the test RSA key's modulus, base64url.
func rsaN(t *testing.T) string {
	t.Helper()
	doc := string(jwks(t, publish{key: rsaKey()}))
	_, rest, _ := strings.Cut(doc, `"n":"`)
	n, _, _ := strings.Cut(rest, `"`)
	return n
}
