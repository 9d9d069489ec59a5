package cli

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/oidc-conformance/oidc-conformance/fixtures/sts"
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// TestRunAndMockAgreeOnTrust: whether IAM uses the thumbprints is one
// decision (stsrules.PubliclyTrusted, then ThumbprintsUsed), the same for
// run and the mock STS. A chain trusted only through a private CA (run's
// --ca-file, the mock's ca_files: never in AWS's library) needs a
// registered thumbprint; one verified by a root that stands for AWS's
// library (fetch.Options and sts.Config PublicRoots) does not, and a wrong
// thumbprint is then only a warning. explain fetches nothing and judges no
// chain. Before the decision was shared, the mock counted ca_files as
// public roots and accepted the private CA with a wrong thumbprint, which
// run fails as TLS-005.
func TestRunAndMockAgreeOnTrust(t *testing.T) {
	is := startAgreeIssuer(t)
	ca := []*x509.Certificate{is.root}
	c := goodAgreeCase(t, is.url, "good")
	raw := c.sign(t)
	body, _ := json.Marshal(map[string]any{"keys": c.keys})
	is.jwks.Store(&body)
	wrong := strings.Repeat("0", 40)
	for _, tt := range []struct {
		name        string
		public      bool // the CA stands for AWS's library, else it is private (--ca-file, ca_files)
		thumbprint  func(right string) string
		accepted    bool
		tls005      check.Status
		mockRefusal stsrules.RuleID
	}{
		{"public root, thumbprint registered", true, func(r string) string { return r }, true, check.Passed, ""},
		{"public root, wrong thumbprint", true, func(string) string { return wrong }, true, check.Warning, ""},
		{"private CA, thumbprint registered", false, func(r string) string { return r }, true, check.Passed, ""},
		{"private CA, wrong thumbprint", false, func(string) string { return wrong }, false, check.Failed, stsrules.RuleThumbprint},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := fetch.Options{Resolve: is.resolve, ExtraRoots: ca}
			mcfg := sts.Config{Account: "111122223333", Resolve: is.resolve, ExtraRoots: ca}
			if tt.public {
				opts = fetch.Options{Resolve: is.resolve, PublicRoots: ca}
				mcfg.ExtraRoots, mcfg.PublicRoots = nil, ca
			}
			fc := fetch.New(opts)
			t.Cleanup(fc.CloseIdle)
			// The right thumbprint is of the last certificate the host sends.
			first := probe.Target(context.Background(), fc, probe.Job{Input: evidence.Input{Issuer: is.url, Profile: string(check.AWS)}})
			if first.JWKS == nil || len(first.JWKS.Hops) == 0 || first.JWKS.Hops[0].TLS == nil || len(first.JWKS.Hops[0].TLS.Chain) == 0 {
				t.Fatal("no handshake with the JWKS host")
			}
			js := first.JWKS.Hops[0].TLS
			if js.PubliclyTrusted != tt.public {
				t.Errorf("run: publicly trusted %v, want %v", js.PubliclyTrusted, tt.public)
			}
			tp := tt.thumbprint(stsrules.Thumbprint(js.Chain[len(js.Chain)-1]))

			tg := probe.Target(context.Background(), fc, probe.Job{
				Input: evidence.Input{Issuer: is.url, Profile: string(check.AWS), Audience: "sts.amazonaws.com", Thumbprints: []string{tp}},
				Token: raw, TokenSource: "agreement test",
			})
			findings := runner.JudgeAll(tg, suites.Catalog())
			if got := findings["TLS-005"]; got.Status != tt.tls005 {
				t.Errorf("run: TLS-005 %s %q, want %s", got.Status, got.Message, tt.tls005)
			}

			var mu sync.Mutex
			var last sts.Entry
			mcfg.Providers = []sts.Provider{{URL: is.url, ClientIDs: []string{"sts.amazonaws.com"}, Thumbprints: []string{tp}}}
			arn := "arn:aws:iam::111122223333:oidc-provider/" + strings.TrimPrefix(is.url, "https://")
			mcfg.Roles = []sts.Role{{Name: "app", TrustPolicy: []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` +
				arn + `"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`)}}
			mcfg.Log = func(e sts.Entry) { mu.Lock(); defer mu.Unlock(); last = e }
			mock, err := sts.New(mcfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := mock.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(mock.Close)
			endpoint := mock.URL()
			client := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: &endpoint, HTTPClient: mock.Client(), RetryMaxAttempts: 1})
			_, err = client.AssumeRoleWithWebIdentity(context.Background(), &awssts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String("arn:aws:iam::111122223333:role/app"), RoleSessionName: aws.String("agree"), WebIdentityToken: aws.String(raw),
			})
			mu.Lock()
			rule := last.Rule
			mu.Unlock()
			if (err == nil) != tt.accepted || (err != nil && rule != tt.mockRefusal) {
				t.Errorf("mock: %v (rule %q), want accepted=%v, refusal %q", err, rule, tt.accepted, tt.mockRefusal)
			}
			if r, _ := stsrules.Lookup(rule); err != nil && findings[r.Check].Status != check.Failed {
				t.Errorf("mock refused under %s (%s), which run does not fail", rule, r.Check)
			}
		})
	}
}
