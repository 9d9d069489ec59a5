package kubernetes

import (
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

const twoEntries = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer: {url: "https://a.test", audiences: [a]}
  claimMappings: {username: {claim: sub, prefix: ""}}
- issuer: {url: "https://b.test", audiences: [b]}
  claimMappings: {username: {claim: email, prefix: ""}}
`

func TestEntry(t *testing.T) {
	in := func(issuer, file, pick string) evidence.Input {
		rp := evidence.RelyingParty{Name: Name}
		if file != "" {
			rp.Files = map[string]evidence.File{FlagConfig: {Path: "auth.yaml", Body: []byte(file)}}
		}
		if pick != "" {
			rp.Values = map[string][]string{FlagIssuer: {pick}}
		}
		return evidence.Input{Issuer: issuer, Audience: "aud", RelyingParties: []evidence.RelyingParty{rp}}
	}
	tests := []struct {
		name     string
		in       evidence.Input
		wantURL  string
		assumed  bool
		wantErr  string
		wantAuds string
	}{
		{"no file: synthesized", in("https://p.test", "", ""), "https://p.test", true, "", "aud"},
		{"the probed issuer's entry", in("https://b.test", twoEntries, ""), "https://b.test", false, "", "b"},
		{"named by --k8s-jwt-issuer", in("https://p.test", twoEntries, "https://a.test"), "https://a.test", false, "", "a"},
		{"no entry for the name", in("https://p.test", twoEntries, "https://c.test"), "", false, "no jwt[] entry has issuer.url", ""},
		{"two entries, none the probed issuer", in("https://p.test", twoEntries, ""), "", false, "name one", ""},
		{"invalid: http url", in("https://p.test", strings.ReplaceAll(twoEntries, "https://a.test", "http://a.test"), ""), "", false, "would not start", ""},
		{"unknown field", in("https://p.test", twoEntries+"bogus: 1\n", ""), "", false, "bogus", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j, assumed, err := entry(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if j.URL() != tt.wantURL || (len(assumed) > 0) != tt.assumed || strings.Join(j.Audiences(), ",") != tt.wantAuds {
				t.Errorf("entry %s %v, assumed %q", j.URL(), j.Audiences(), assumed)
			}
		})
	}
}
