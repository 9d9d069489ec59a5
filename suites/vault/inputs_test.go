package vault

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/vaultauth"
)

const (
	configJSON = `{"data":{"oidc_discovery_url":"https://a.test","jwt_supported_algs":["ES256"]}}`
	roleJSON   = `{"data":{"role_type":"jwt","bound_subject":"s","user_claim":"email"}}`
)

func TestSetup(t *testing.T) {
	in := func(files map[string]string) evidence.Input {
		rp := evidence.RelyingParty{Name: Name, Files: map[string]evidence.File{}}
		for flag, body := range files {
			rp.Files[flag] = evidence.File{Path: flag + ".json", Body: []byte(body)}
		}
		return evidence.Input{Issuer: "https://p.test", Audience: "aud", RelyingParties: []evidence.RelyingParty{rp}}
	}
	tests := []struct {
		name     string
		files    map[string]string
		wantURL  string
		wantUser string
		assumed  int
		wantErr  string
	}{
		{"no files: synthesized", nil, "https://p.test", "sub", 2, ""},
		{"both files", map[string]string{FlagConfig: configJSON, FlagRole: roleJSON}, "https://a.test", "email", 0, ""},
		{"config only", map[string]string{FlagConfig: configJSON}, "https://a.test", "sub", 1, ""},
		{"role only", map[string]string{FlagRole: roleJSON}, "https://p.test", "email", 1, ""},
		{"a bad config", map[string]string{FlagConfig: `{"data":{}}`}, "", "", 0, "--vault-config vault-config.json: vaultauth: config: Vault: \"exactly one of"},
		{"a bad role", map[string]string{FlagRole: `{"data":{"role_type":"jwt","user_claim":"sub"}}`}, "", "", 0, "must have at least one bound constraint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, r, assumed, err := setup(in(tt.files))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error %v, want one line with %q", err, tt.wantErr)
				}
				if validate(in(tt.files)) == nil {
					t.Error("validate accepts what setup refuses")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.OIDCDiscoveryURL != tt.wantURL || r.UserClaim != tt.wantUser || len(assumed) != tt.assumed {
				t.Errorf("config %+v, role %+v, assumed %q", c, r, assumed)
			}
		})
	}
}

func TestCrosscheck(t *testing.T) {
	target := func(a vaultauth.Answer) *evidence.Target {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		return &evidence.Target{Answers: map[string]json.RawMessage{Name: b}}
	}
	accepted, refused := vaultauth.Answer{Stage: vaultauth.StageAccepted}, vaultauth.Answer{Stage: vaultauth.StageToken, Error: "no"}
	tests := []struct {
		name     string
		answer   vaultauth.Answer
		row      relyingparty.Row
		disagree bool
	}{
		{"both accept", accepted, relyingparty.Row{Verdict: relyingparty.Accepts}, false},
		{"cap accepts, a rule cap applies rejects", accepted, relyingparty.Row{Verdict: relyingparty.Rejects, Blocking: []string{"VLT-004"}}, true},
		{"cap accepts, the plugin's own rule rejects", accepted, relyingparty.Row{Verdict: relyingparty.Rejects, Blocking: []string{"VLT-009"}}, false},
		{"cap accepts, a transport rule rejects", accepted, relyingparty.Row{Verdict: relyingparty.Rejects, Blocking: []string{"TLS-006"}}, false},
		{"cap refuses, the checks accept", refused, relyingparty.Row{Verdict: relyingparty.Accepts}, true},
		{"both refuse", refused, relyingparty.Row{Verdict: relyingparty.Rejects, Blocking: []string{"VLT-012"}}, false},
		{"no answer", vaultauth.Answer{Stage: vaultauth.StageNotRun}, relyingparty.Row{Verdict: relyingparty.Accepts}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Crosscheck(target(tt.answer), tt.row); (got != "") != tt.disagree {
				t.Errorf("disagreement %q, want one: %v", got, tt.disagree)
			}
		})
	}
}
