package kubeauth_test

import (
	"context"
	"crypto/x509"
	"net/http"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
)

// record fetches the fixture's discovery document and key set over real
// TLS, as the probe does, and returns them as the authenticator's answers.
func record(t *testing.T, srv *issuer.Server) kubeauth.Recorded {
	t.Helper()
	c := fetch.New(fetch.Options{Resolve: srv.ResolveAll(), ExtraRoots: []*x509.Certificate{srv.CA().Root}})
	t.Cleanup(c.CloseIdle)
	rec := kubeauth.Recorded{}
	for _, u := range []string{srv.IssuerURL() + "/.well-known/openid-configuration", srv.IssuerURL() + "/keys"} {
		ex := c.Get(context.Background(), u, "application/json")
		h := ex.Final()
		if h == nil {
			t.Fatalf("GET %s: %s", u, ex.Err)
		}
		rec[u] = kubeauth.Reply{Status: h.Status, Header: http.Header(h.Header), Body: h.Body}
	}
	return rec
}

const configYAML = `apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: ISSUER
    audiences: [sts.amazonaws.com]
  claimValidationRules:
  - expression: 'claims.sub.startsWith("system:serviceaccount:RULE")'
    message: "only service accounts of RULE"
  claimMappings:
    username:
      claim: sub
      prefix: "oidc:"
    extra:
    - key: example.com/namespace
      valueExpression: 'claims["kubernetes.io"].namespace'
`

func TestAuthenticate(t *testing.T) {
	srv, err := issuer.New(issuer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	rec := record(t, srv)
	raw, err := srv.MintToken(issuer.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, rule string
		want       kubeauth.Stage
		wantText   string
	}{
		{"rule holds", "default:", kubeauth.StageAccepted, "oidc:system:serviceaccount:default:my-sa"},
		{"rule refuses", "kube-system:", kubeauth.StageToken, "only service accounts of kube-system:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := strings.NewReplacer("ISSUER", srv.IssuerURL(), "RULE", tt.rule).Replace(configYAML)
			cfg, err := kubeauth.Load([]byte(y))
			if err != nil {
				t.Fatal(err)
			}
			j, err := cfg.Entry("", srv.IssuerURL())
			if err != nil {
				t.Fatal(err)
			}
			a := kubeauth.Authenticate(context.Background(), j, rec, raw)
			if a.Stage != tt.want {
				t.Fatalf("stage %s (%s), want %s", a.Stage, a.Error, tt.want)
			}
			if got := a.User + a.Error; !strings.Contains(got, tt.wantText) {
				t.Errorf("answer %+v, want it to mention %q", a, tt.wantText)
			}
			if tt.want == kubeauth.StageAccepted && a.Extra["example.com/namespace"][0] != "default" {
				t.Errorf("extra %v, want the namespace mapped", a.Extra)
			}
		})
	}
}

// TestLegacy: the entry built as kube-apiserver builds it from the --oidc-*
// flags prefixes a non-email username with the issuer and "#".
func TestLegacy(t *testing.T) {
	dash, p := "-", "oidc:"
	for _, tt := range []struct {
		claim  string
		prefix *string
		want   string
	}{{"sub", nil, "https://i.test#"}, {"email", nil, ""}, {"sub", &dash, ""}, {"sub", &p, "oidc:"}} {
		j := kubeauth.Legacy("https://i.test", "c", tt.claim, tt.prefix, "", nil, nil)
		m, _ := j.Mapping()
		if got := *m.UsernamePrefix; got != tt.want {
			t.Errorf("claim %s prefix %v: %q, want %q", tt.claim, tt.prefix, got, tt.want)
		}
	}
}
