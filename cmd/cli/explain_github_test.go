package cli

import (
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// explain on GitHub-shaped tokens: a provider-specific key is evaluated
// against the token's claim, and a :sub refusal says what kind of
// difference it is (the immutable repo:OWNER@id/REPO@id form, another event).
func TestExplainGitHub(t *testing.T) {
	srv, err := issuer.New(issuer.Config{Profile: "github"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	w := &explainWorld{srv: srv, dir: t.TempDir()}
	host := trust.ProviderHost(srv.IssuerURL())
	arn := trust.ProviderARN(explainAccount, host)
	w.jwks = w.write(t, "jwks.json", explainFetchJWKS(t, srv))
	policy := func(name, conditions string) string {
		return w.write(t, name, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"`+arn+`"},`+
			`"Action":"sts:AssumeRoleWithWebIdentity","Condition":`+conditions+`}]}`))
	}
	byRepo := policy("repo.json", `{"StringEquals":{"`+host+`:aud":"sts.amazonaws.com","`+host+`:repository":"octo-org/octo-repo"},"StringLike":{"`+host+`:sub":"repo:octo-org/*"}}`)
	bySub := policy("sub.json", `{"StringEquals":{"`+host+`:sub":"repo:octo-org/octo-repo:ref:refs/heads/main"}}`)
	good := w.mint(t, issuer.TokenOptions{})
	tests := []struct {
		name, token, trust string
		code               int
		want               []string
	}{
		{"provider key holds", good, byRepo, ExitPass, []string{"STS would answer: success", "its 3 conditions hold"}},
		{"pull_request against a branch", w.mint(t, issuer.TokenOptions{Sub: "repo:octo-org/octo-repo:pull_request"}), bySub, ExitFail,
			[]string{"AccessDenied", "a pull_request event, the policy wants the branch main"}},
		{"immutable subject against names", w.mint(t, issuer.TokenOptions{Sub: "repo:octo-org@1111111/octo-repo@2222222:ref:refs/heads/main"}), bySub, ExitFail,
			[]string{"AccessDenied", "GitHub's immutable form repo:OWNER@id/REPO@id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := w.write(t, "token-"+strings.ReplaceAll(tt.name, " ", "-"), []byte(tt.token))
			r := runExplainCLI(t, "--token", tok, "--trust-policy", tt.trust, "--jwks", w.jwks, "--role-arn", explainRole)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q\n%s", want, r.stdout)
				}
			}
		})
	}
}
