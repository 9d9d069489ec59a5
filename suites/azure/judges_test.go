package azure

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

const (
	iss = "https://oidc.test/cluster/"
	sub = "system:serviceaccount:default:my-sa"
)

// now is the probe time of every target.
var now = time.Unix(1_800_000_000, 0)

// target builds the evidence of one probe: the token's claims and header
// (edited), a key set of n keys whose last signs, discovery, and --azure-fic.
type target struct {
	claims, header map[string]any
	keys           int
	fics           string
	redirected     bool
	discovery      map[string]any
}

func base() target {
	return target{
		claims: map[string]any{"iss": iss, "sub": sub, "aud": []string{DefaultAudience}, "iat": now.Unix() - 60, "nbf": now.Unix() - 60, "exp": now.Unix() + 3600},
		header: map[string]any{"alg": "RS256", "kid": "k0"}, keys: 1,
		fics:      "[" + fic("good", iss, sub, DefaultAudience) + "]",
		discovery: map[string]any{"issuer": iss, "jwks_uri": iss + "keys"},
	}
}

func (b target) build(t *testing.T) *evidence.Target {
	t.Helper()
	h, _ := json.Marshal(b.header)
	c, _ := json.Marshal(b.claims)
	var keys []map[string]string
	for i := b.keys - 1; i >= 0; i-- {
		keys = append(keys, map[string]string{"kty": "RSA", "kid": fmt.Sprintf("k%d", i)})
	}
	set, _ := json.Marshal(map[string]any{"keys": keys})
	doc, _ := json.Marshal(b.discovery)
	jwks := &evidence.Exchange{Hops: []evidence.Hop{{Status: 200, Body: set}}}
	if b.redirected {
		jwks.Hops = append([]evidence.Hop{{Status: 302}}, jwks.Hops...)
	}
	rp := evidence.RelyingParty{Name: Name}
	if b.fics != "" {
		rp.Files = map[string]evidence.File{FlagFIC: {Path: "fic.json", Body: []byte(b.fics)}}
	}
	return &evidence.Target{
		Input:     evidence.Input{Issuer: iss, RelyingParties: []evidence.RelyingParty{rp}},
		ProbedAt:  now,
		Token:     &evidence.Token{Parts: 3, Header: h, Claims: c},
		JWKS:      jwks,
		Discovery: &evidence.Exchange{Hops: []evidence.Hop{{Status: 200, Body: doc}}},
	}
}

// edit returns base() with f applied.
func edit(f func(*target)) target {
	b := base()
	f(&b)
	return b
}

func TestJudges(t *testing.T) {
	judges := map[string]check.Judge{}
	for _, c := range Checks() {
		judges[c.ID] = c.Judge
	}
	claim := func(k string, v any) target { return edit(func(b *target) { b.claims[k] = v }) }
	tests := []struct {
		name, id string
		in       target
		want     check.Status
		says     string
	}{
		{"good issuer", "AZR-001", base(), check.Passed, ""},
		{"iss lacks the credential's trailing slash", "AZR-001", claim("iss", strings.TrimSuffix(iss, "/")), check.Failed, "has a trailing slash the token's iss lacks"},
		{"iss has a slash the credential lacks", "AZR-001", edit(func(b *target) { b.fics = fic("f", strings.TrimSuffix(iss, "/"), sub, DefaultAudience) }), check.Failed, "lacks the trailing slash"},
		{"iss in another case", "AZR-001", claim("iss", strings.ToUpper(iss)), check.Failed, "differs only in case"},
		{"iss with whitespace", "AZR-001", claim("iss", iss+" "), check.Failed, "leading or trailing whitespace"},
		{"credential issuer with whitespace", "AZR-001", edit(func(b *target) { b.fics = fic("f", " "+iss, sub, DefaultAudience) }), check.Failed, "surrounding whitespace"},
		{"no iss", "AZR-001", edit(func(b *target) { delete(b.claims, "iss") }), check.Failed, "AADSTS700211"},
		{"an unrelated issuer", "AZR-001", claim("iss", "https://other.test"), check.Failed, "the credentials' issuers are"},
		{"good subject", "AZR-002", base(), check.Passed, ""},
		{"the second credential matches", "AZR-002", edit(func(b *target) {
			b.fics = "[" + fic("a", iss, "other", DefaultAudience) + "," + fic("b", iss, sub, DefaultAudience) + "]"
		}), check.Passed, "credential b"},
		{"subject wildcard", "AZR-002", edit(func(b *target) { b.fics = fic("w", iss, "system:serviceaccount:default:*", DefaultAudience) }), check.Failed, "wildcards are not supported"},
		{"subject case", "AZR-002", claim("sub", strings.ToUpper(sub)), check.Failed, "AADSTS7002138"},
		{"another subject", "AZR-002", claim("sub", "system:serviceaccount:default:other"), check.Failed, "AADSTS700213"},
		{"no sub", "AZR-002", edit(func(b *target) { delete(b.claims, "sub") }), check.Failed, "no sub"},
		{"sub over 600", "AZR-002", claim("sub", strings.Repeat("s", 601)), check.Failed, "601 characters"},
		{"good audience", "AZR-003", base(), check.Passed, ""},
		{"aud a string", "AZR-003", claim("aud", DefaultAudience), check.Passed, ""},
		{"aud another", "AZR-003", claim("aud", "sts.amazonaws.com"), check.Failed, "AADSTS700212"},
		{"aud in another case", "AZR-003", claim("aud", strings.ToLower(DefaultAudience)), check.Failed, "case-sensitive"},
		{"aud among several", "AZR-003", claim("aud", []string{"x", DefaultAudience}), check.Warning, "unconfirmed"},
		{"no aud", "AZR-003", edit(func(b *target) { delete(b.claims, "aud") }), check.Failed, "no aud"},
		{"no credential matches", "AZR-003", claim("sub", "other"), check.Skipped, "AZR-002"},
		{"lifetime 1 h", "AZR-004", base(), check.Passed, ""},
		{"lifetime 25 h", "AZR-004", claim("exp", now.Unix()-60+25*3600), check.Passed, ""},
		{"lifetime 25 h 1 s", "AZR-004", claim("exp", now.Unix()-60+25*3600+1), check.Failed, "AADSTS70023"},
		{"no iat", "AZR-004", edit(func(b *target) { delete(b.claims, "iat") }), check.Failed, "Token issued at 0"},
		{"iat a string", "AZR-004", claim("iat", fmt.Sprint(now.Unix())), check.Warning, "unconfirmed"},
		{"exp a fraction", "AZR-004", claim("exp", 1.5e9+0.5), check.Warning, "unconfirmed"},
		{"valid", "AZR-005", base(), check.Passed, ""},
		{"expired a minute ago", "AZR-005", claim("exp", now.Unix()-60), check.Warning, "skew is unconfirmed"},
		{"expired 6 minutes ago", "AZR-005", claim("exp", now.Unix()-360), check.Failed, "AADSTS700024"},
		{"nbf 30 s ahead", "AZR-005", claim("nbf", now.Unix()+30), check.Passed, ""},
		{"nbf 2 minutes ahead", "AZR-005", claim("nbf", now.Unix()+120), check.Warning, "unconfirmed"},
		{"nbf 10 minutes ahead", "AZR-005", claim("nbf", now.Unix()+600), check.Failed, "AADSTS700024"},
		{"iat 10 minutes ahead", "AZR-005", claim("iat", now.Unix()+600), check.Warning, "issued in the future"},
		{"no exp", "AZR-005", edit(func(b *target) { delete(b.claims, "exp") }), check.Warning, "no exp"},
		{"RS256", "AZR-006", base(), check.Passed, ""},
		{"ES384", "AZR-006", edit(func(b *target) { b.header["alg"] = "ES384" }), check.Warning, "untested by Microsoft"},
		{"key 100 of 100", "AZR-007", edit(func(b *target) { b.keys = 100; b.header["kid"] = "k0" }), check.Passed, "key 100 of 100"},
		{"key 101 of 101", "AZR-007", edit(func(b *target) { b.keys = 101; b.header["kid"] = "k0" }), check.Failed, "AADSTS7000272"},
		{"key 1 of 101", "AZR-007", edit(func(b *target) { b.keys = 101; b.header["kid"] = "k100" }), check.Passed, "key 1 of 101"},
		{"unknown kid", "AZR-007", edit(func(b *target) { b.header["kid"] = "gone" }), check.Failed, "not in the JWKS"},
		{"no kid", "AZR-007", edit(func(b *target) { delete(b.header, "kid") }), check.Warning, "unconfirmed"},
		{"keys through a redirect", "AZR-007", edit(func(b *target) { b.redirected = true }), check.Warning, "redirect"},
		{"100 keys", "AZR-008", edit(func(b *target) { b.keys = 100 }), check.Passed, ""},
		{"101 keys", "AZR-008", edit(func(b *target) { b.keys = 101 }), check.Warning, "may"},
		{"https", "AZR-009", base(), check.Passed, ""},
		{"http jwks_uri", "AZR-009", edit(func(b *target) { b.discovery["jwks_uri"] = "http://oidc.test/keys" }), check.Warning, "unconfirmed"},
		{"http credential issuer", "AZR-009", edit(func(b *target) { b.fics = fic("h", "http://oidc.test/", sub, DefaultAudience) }), check.Warning, "credential h issuer"},
		{"discovery issuer is the credential's", "AZR-010", base(), check.Passed, ""},
		{"discovery issuer without the slash", "AZR-010", edit(func(b *target) { b.discovery["issuer"] = strings.TrimSuffix(iss, "/") }), check.Warning, "unconfirmed"},
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, func(t *testing.T) {
			f := judges[tt.id](tt.in.build(t))
			if f.Status != tt.want || !strings.Contains(f.Message, tt.says) {
				t.Errorf("%s %q, want %s saying %q", f.Status, f.Message, tt.want, tt.says)
			}
		})
	}
}

// TestNoFileAssumesTheDefaultAudience: without --azure-fic the credential
// is Entra's default, so a token for another audience is refused and one
// for api://AzureADTokenExchange passes.
func TestNoFileAssumesTheDefaultAudience(t *testing.T) {
	b := edit(func(b *target) { b.fics = "" })
	if f := judgeAudience(b.build(t)); f.Status != check.Passed {
		t.Errorf("%s %q, want the default audience to pass", f.Status, f.Message)
	}
	b.claims["aud"] = "sts.amazonaws.com"
	if f := judgeAudience(b.build(t)); f.Status != check.Failed || !strings.Contains(f.Message, DefaultAudience) {
		t.Errorf("%s %q, want a refusal naming %s", f.Status, f.Message, DefaultAudience)
	}
	if f := judgeSubject(b.build(t)); f.Status != check.Passed {
		t.Errorf("subject %s %q, want the assumed subject (the token's) to pass", f.Status, f.Message)
	}
}

func TestCatalogValid(t *testing.T) {
	c := Checks()
	// The shared checks they require, as stubs: the full catalog is
	// validated in suites.
	all := append(check.Catalog{}, c...)
	for _, id := range []string{"DISC-001", "DISC-004", "JWKS-002", "TOK-012"} {
		all = append(all, check.Check{ID: id, Title: id, Area: "stub", Reference: "-", Remediation: "-",
			Profiles: []check.Profile{check.OIDC}, Severity: check.Fail, Judge: func(*evidence.Target) check.Finding { return check.Pass("") }})
	}
	if err := all.Validate(); err != nil {
		t.Fatal(err)
	}
	// none and HS* are TOK-012's, the root every party reads: AZR-006
	// judges only Entra's RS256 beyond it.
	if a, _ := c.Lookup("AZR-006"); !slices.Contains(a.Requires, "TOK-012") || !slices.Contains(Party().Reads, "TOK-012") {
		t.Errorf("AZR-006 requires %v and the party reads %v: want TOK-012 in both", a.Requires, Party().Reads)
	}
	if len(c) != 10 {
		t.Errorf("%d checks, want 10", len(c))
	}
	p := Party()
	for _, id := range append(p.Needs, p.Doubts...) {
		if _, ok := c.Lookup(id); !ok && !strings.HasPrefix(id, "TOK-") && !strings.HasPrefix(id, "DISC-") {
			t.Errorf("%s is not a check", id)
		}
	}
}
