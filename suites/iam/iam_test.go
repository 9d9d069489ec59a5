package iam

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

const (
	issuer = "https://oidc.eks.us-east-1.amazonaws.com/id/ABC"
	host   = "oidc.eks.us-east-1.amazonaws.com/id/ABC"
	arn    = "arn:aws:iam::111122223333:oidc-provider/" + host
	role   = "arn:aws:iam::111122223333:role/app"
	sub    = "system:serviceaccount:default:app"
)

// good is a policy scoped to the token's audience and subject.
func good(prefix string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + arn + `"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + prefix + `:aud":"sts.amazonaws.com","` + prefix + `:sub":"` + sub + `"}}}]}`
}

func target(edit func(*evidence.Target)) *evidence.Target {
	claims, _ := json.Marshal(map[string]any{"iss": issuer, "sub": sub, "aud": []string{"sts.amazonaws.com"}})
	t := &evidence.Target{
		Input: evidence.Input{Issuer: issuer, Profile: "aws", Audience: "sts.amazonaws.com"},
		Token: &evidence.Token{Claims: claims},
		IAM: &evidence.IAM{ProviderURL: host, ClientIDs: []string{"sts.amazonaws.com"},
			Thumbprints: []string{"9e99a48a9960b14926bb7f3b02e22da2b0ab7280"}, RoleARN: role, TrustPolicy: json.RawMessage(good(host))},
	}
	if edit != nil {
		edit(t)
	}
	return t
}

func withPolicy(p string) func(*evidence.Target) {
	return func(t *evidence.Target) { t.IAM.TrustPolicy = json.RawMessage(p) }
}

func TestJudges(t *testing.T) {
	tests := []struct {
		name string
		id   string
		edit func(*evidence.Target)
		want check.Status
		msg  string
	}{
		{"provider matches", "IAM-001", nil, check.Passed, ""},
		{"no IAM", "IAM-001", func(t *evidence.Target) { t.IAM = nil }, check.Skipped, "--iam-provider"},
		{"provider trailing slash", "IAM-001", func(t *evidence.Target) { t.IAM.ProviderURL = host + "/" }, check.Failed, "trailing slash"},
		{"provider case", "IAM-001", func(t *evidence.Target) { t.IAM.ProviderURL = strings.ToUpper(host) }, check.Failed, "only in case"},
		{"provider with https", "IAM-001", func(t *evidence.Target) { t.IAM.ProviderURL = "https://" + host }, check.Passed, ""},
		{"provider other", "IAM-001", func(t *evidence.Target) { t.IAM.ProviderURL = "other.test" }, check.Failed, "No OpenIDConnect provider"},
		{"provider ARN mismatch", "IAM-001", func(t *evidence.Target) { t.IAM.ProviderARN = "arn:aws:iam::1:oidc-provider/x" }, check.Failed, "ARN"},
		{"client id", "IAM-002", nil, check.Passed, ""},
		{"client id missing", "IAM-002", func(t *evidence.Target) { t.IAM.ClientIDs = []string{"my-app"} }, check.Failed, "Incorrect token audience"},
		{"no client ids", "IAM-002", func(t *evidence.Target) { t.IAM.ClientIDs = nil }, check.Failed, "1 to 100"},
		{"client id without token", "IAM-002", func(t *evidence.Target) { t.Token = nil }, check.Passed, "expected audience"},
		{"thumbprints", "IAM-003", nil, check.Passed, ""},
		{"thumbprint short", "IAM-003", func(t *evidence.Target) { t.IAM.Thumbprints = []string{"abc"} }, check.Failed, "40 hex"},
		{"six thumbprints", "IAM-003", func(t *evidence.Target) { t.IAM.Thumbprints = make([]string, 6) }, check.Failed, "at most 5"},
		{"allow", "IAM-004", nil, check.Passed, ""},
		{"no policy", "IAM-004", func(t *evidence.Target) { t.IAM.TrustPolicy = nil }, check.Skipped, "--trust-policy"},
		{"other provider", "IAM-004", withPolicy(strings.ReplaceAll(good(host), arn, "arn:aws:iam::111122223333:oidc-provider/other.test")), check.Failed, "no statement allows"},
		{"not JSON policy", "IAM-004", withPolicy(`{"Statement":`), check.Failed, "trust policy"},
		{"keys", "IAM-005", nil, check.Passed, ""},
		{"https prefix", "IAM-005", withPolicy(good("https://" + host)), check.Failed, "https://"},
		{"custom claim key", "IAM-005", withPolicy(strings.Replace(good(host), host+":sub", host+":email", 1)), check.Failed, "STS does not fill for this provider"},
		{"key of another provider", "IAM-005", withPolicy(good("other.test")), check.Failed, "not a key of this provider"},
		{"scoped", "IAM-006", nil, check.Passed, ""},
		{"no sub", "IAM-006", withPolicy(strings.Replace(good(host), `,"`+host+`:sub":"`+sub+`"`, "", 1)), check.Warning, "every service account"},
		{"StringLike star", "IAM-006", withPolicy(strings.Replace(strings.Replace(good(host), "StringEquals", "StringLike", 1), sub, "system:serviceaccount:default:*", 1)), check.Warning, "StringLike"},
		{"evaluates", "IAM-007", nil, check.Passed, "allows"},
		{"other namespace", "IAM-007", withPolicy(strings.Replace(good(host), sub, "system:serviceaccount:other:app", 1)), check.Failed, "Not authorized"},
		{"https prefix denies", "IAM-007", withPolicy(good("https://" + host)), check.Failed, "Not authorized"},
		{"deny wins", "IAM-007", withPolicy(strings.Replace(good(host), `]}`, `,{"Effect":"Deny","Principal":{"Federated":"`+arn+`"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`, 1)), check.Failed, "denies"},
		{"no token", "IAM-007", func(t *evidence.Target) { t.Token = nil }, check.Skipped, "no token"},
	}
	cat := Checks()
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, func(t *testing.T) {
			c, ok := cat.Lookup(tt.id)
			if !ok {
				t.Fatalf("no %s", tt.id)
			}
			f := c.Judge(target(tt.edit))
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, f.Status, f.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestCatalogValid(t *testing.T) {
	// IAM-002 and IAM-007 require token checks: the whole catalog's test
	// (suites) validates those.
	if err := Checks().ValidatePart(); err != nil {
		t.Fatal(err)
	}
}
