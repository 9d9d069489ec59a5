package eks

import (
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

func TestConfigOf(t *testing.T) {
	describe := `{"identityProviderConfig":{"oidc":{"identityProviderConfigName":"corp","clusterName":"c","issuerUrl":"https://idp.test","clientId":"kubectl","usernameClaim":"email","groupsClaim":"groups","groupsPrefix":"oidc:","requiredClaims":{"hd":"example.com"},"status":"ACTIVE"}}}`
	in := func(file string, values map[string][]string) evidence.Input {
		rp := evidence.RelyingParty{Name: Name, Values: values}
		if file != "" {
			rp.Files = map[string]evidence.File{FlagConfig: {Path: "c.json", Body: []byte(file)}}
		}
		return evidence.Input{Issuer: "https://probed.test", Audience: "sts.amazonaws.com", RelyingParties: []evidence.RelyingParty{rp}}
	}
	tests := []struct {
		name    string
		in      evidence.Input
		want    string // issuerUrl clientId usernameClaim groupsClaim hd
		assumed int
		err     string
	}{
		{"describe output", in(describe, nil), "https://idp.test kubectl email groups example.com", 0, ""},
		{"the oidc object alone", in(`{"issuerUrl":"https://idp.test","clientId":"kubectl"}`, nil), "https://idp.test kubectl sub  ", 1, ""},
		{"flags over the file", in(describe, map[string][]string{FlagClientID: {"other"}, FlagRequiredClaim: {"hd=corp.test"}}), "https://idp.test other email groups corp.test", 0, ""},
		{"nothing given", in("", nil), "https://probed.test sts.amazonaws.com sub  ", 3, ""},
		{"not JSON", in("{", nil), "", 0, "not JSON"},
		{"no issuerUrl", in(`{"identityProviderConfig":{"oidc":{"clientId":"x"}}}`, nil), "", 0, "no issuerUrl"},
		{"bad required claim", in("", map[string][]string{FlagRequiredClaim: {"hd"}}), "", 0, "KEY=VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := configOf(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join([]string{c.IssuerURL, c.ClientID, c.UsernameClaim, c.GroupsClaim, c.RequiredClaims["hd"]}, " ")
			if got != tt.want || len(c.Assumed) != tt.assumed {
				t.Errorf("got %q assumed %q, want %q and %d assumptions", got, c.Assumed, tt.want, tt.assumed)
			}
		})
	}
}
