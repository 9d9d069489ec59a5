package vaultauth_test

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
	"github.com/oidc-conformance/oidc-conformance/harness/vaultauth"
)

// record fetches the fixture's discovery document and key set over real
// TLS, as the probe does, and returns them as cap's only answers.
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

// pems are the recorded key set's public keys as jwt_validation_pubkeys.
func pems(t *testing.T, body []byte) []string {
	t.Helper()
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range set.Keys {
		der, err := x509.MarshalPKIXPublicKey(k.Key)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	}
	return out
}

func TestValidate(t *testing.T) {
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
	iss := srv.IssuerURL()
	role := &vaultauth.Role{RoleType: "jwt", BoundAudiences: []string{"sts.amazonaws.com"}, UserClaim: "sub", BoundClaimsType: vaultauth.ClaimsString}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      context.Context
		cfg      vaultauth.Config
		role     *vaultauth.Role
		want     vaultauth.Stage
		wantText string
	}{
		{"discovery", context.Background(), vaultauth.Config{OIDCDiscoveryURL: iss}, role, vaultauth.StageAccepted, ""},
		{"jwks_url", context.Background(), vaultauth.Config{JWKSURL: iss + "/keys"}, role, vaultauth.StageAccepted, ""},
		{"static keys", context.Background(), vaultauth.Config{JWTValidationPubKeys: pems(t, rec[iss+"/keys"].Body)}, role, vaultauth.StageAccepted, ""},
		{"discovery URL with a trailing slash", context.Background(), vaultauth.Config{OIDCDiscoveryURL: iss + "/"}, role, vaultauth.StageConfig, "issuer did not match the returned issuer"},
		{"bound_issuer", context.Background(), vaultauth.Config{OIDCDiscoveryURL: iss, BoundIssuer: iss + "/x"}, role, vaultauth.StageToken, "error validating token: invalid issuer (iss) claim"},
		{"algorithms", context.Background(), vaultauth.Config{OIDCDiscoveryURL: iss, JWTSupportedAlgs: []string{"ES256"}}, role, vaultauth.StageToken, "token signed with unexpected algorithm"},
		{"bound_subject", context.Background(), vaultauth.Config{OIDCDiscoveryURL: iss},
			&vaultauth.Role{RoleType: "jwt", BoundSubject: "other", UserClaim: "sub"}, vaultauth.StageToken, "invalid subject (sub) claim"},
		{"a discovery document the probe did not fetch", context.Background(), vaultauth.Config{OIDCDiscoveryURL: "https://elsewhere.test"}, role, vaultauth.StageConfig, "not fetched by the probe"},
		{"jwks_pairs", context.Background(), vaultauth.Config{JWKSPairs: []any{map[string]any{"jwks_url": iss + "/keys"}}}, role, vaultauth.StageNotRun, "jwks_pairs"},
		{"a cancelled run", canceled, vaultauth.Config{OIDCDiscoveryURL: iss}, role, vaultauth.StageNotRun, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := vaultauth.Validate(tt.ctx, &tt.cfg, tt.role, rec, raw, time.Now())
			if a.Stage != tt.want || !strings.Contains(a.Error, tt.wantText) {
				t.Errorf("answer %+v, want %s mentioning %q", a, tt.want, tt.wantText)
			}
			if strings.Contains(a.Error, raw) {
				t.Error("the answer holds the token")
			}
		})
	}
}

// TestStaticKeysOverTheCapNeverReachCap: an RSA key over the modulus cap is
// left out, so cap refuses (no key) instead of spending the CPU.
func TestStaticKeysOverTheCapNeverReachCap(t *testing.T) {
	huge := &rsa.PublicKey{N: new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 20000), big.NewInt(1)), E: 65537}
	der, err := x509.MarshalPKIXPublicKey(huge)
	if err != nil {
		t.Fatal(err)
	}
	c := &vaultauth.Config{JWTValidationPubKeys: []string{string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}}
	role := &vaultauth.Role{RoleType: "jwt", BoundAudiences: []string{"a"}, UserClaim: "sub"}
	a := vaultauth.Validate(context.Background(), c, role, kubeauth.Recorded{}, "a.b.c", time.Now())
	if a.Stage != vaultauth.StageConfig || !strings.Contains(a.Error, "publicKeys must not be empty") {
		t.Errorf("answer %+v, want the over-cap key left out", a)
	}
}
