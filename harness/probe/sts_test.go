package probe

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/fixtures/sts"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// TestAssumeRole runs the exchange with the real AWS SDK against the mock
// STS, which fetches the fixture issuer's keys over TLS.
func TestAssumeRole(t *testing.T) {
	iss, err := issuer.New(issuer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := iss.Start(); err != nil {
		t.Fatal(err)
	}
	defer iss.Close()
	raw, err := iss.MintToken(issuer.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const account = "111122223333"
	host := trust.ProviderHost(iss.IssuerURL())
	arn := trust.ProviderARN(account, iss.IssuerURL())
	good := trust.LeastPrivilege(arn, host, "sts.amazonaws.com", "system:serviceaccount:default:my-sa")
	other := trust.LeastPrivilege(arn, host, "sts.amazonaws.com", "system:serviceaccount:other:my-sa")
	mock, err := sts.New(sts.Config{
		Account:   account,
		Providers: []stsrules.Provider{{URL: host, ClientIDs: []string{"sts.amazonaws.com"}, Thumbprints: []string{pki.Thumbprint(iss.CA().Intermediate)}}},
		Roles:     []sts.Role{{Name: "app", TrustPolicy: good}, {Name: "other", TrustPolicy: other}},
		Resolve:   iss.ResolveAll(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := mock.Start(); err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	job := STSJob{Mode: "mock", Endpoint: mock.URL(), Region: "us-east-1", SessionName: "s1", HTTPClient: mock.Client()}

	job.RoleARN = "arn:aws:iam::" + account + ":role/app"
	ok := AssumeRole(context.Background(), job, raw)
	if ok.Assume == nil || !ok.Assume.OK || !ok.Assume.HasCredentials || ok.CallerIdentity == nil || !ok.CallerIdentity.OK {
		t.Fatalf("exchange failed: %+v %+v", ok.Assume, ok.CallerIdentity)
	}
	if want := "arn:aws:sts::" + account + ":assumed-role/app/s1"; ok.Assume.AssumedRoleARN != want || ok.CallerIdentity.Arn != want {
		t.Errorf("ARNs %q and %q, want %q", ok.Assume.AssumedRoleARN, ok.CallerIdentity.Arn, want)
	}
	b, _ := json.Marshal(ok)
	if strings.Contains(string(b), raw) || strings.Contains(string(b), raw[strings.LastIndex(raw, ".")+1:]) || strings.Contains(strings.ToLower(string(b)), "secret") {
		t.Errorf("the recorded exchange holds a secret: %s", b)
	}

	job.RoleARN = "arn:aws:iam::" + account + ":role/other"
	denied := AssumeRole(context.Background(), job, raw)
	if a := denied.Assume; a == nil || a.OK || a.ErrorCode != "AccessDenied" || a.HTTPStatus != 403 || a.RequestID == "" || denied.CallerIdentity != nil {
		t.Errorf("denied exchange recorded as %+v", a)
	}

	if s := AssumeRole(context.Background(), job, ""); s.Skipped == "" || s.Assume != nil {
		t.Errorf("no token: %+v", s)
	}
	job.Refused = "the mock refuses"
	if s := AssumeRole(context.Background(), job, raw); s.Assume == nil || s.Assume.OK || s.Assume.Error != "the mock refuses" {
		t.Errorf("refused: %+v", s.Assume)
	}
}
