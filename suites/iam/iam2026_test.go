package iam

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

const (
	ghIssuer = "https://token.actions.githubusercontent.com"
	ghHost   = "token.actions.githubusercontent.com"
	ghARN    = "arn:aws:iam::111122223333:oidc-provider/" + ghHost
	ghSub    = "repo:octo-org/octo-repo:ref:refs/heads/main"
)

// ghPolicy is a GitHub trust policy allowing actions under conditions.
func ghPolicy(actions, conditions string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + ghARN + `"},` +
		`"Action":` + actions + `,"Condition":` + conditions + `}]}`
}

// ghTarget is a GitHub Actions token and registration with policy, the
// token's claims edited by claims.
func ghTarget(policy string, claims func(map[string]any)) *evidence.Target {
	c := map[string]any{"iss": ghIssuer, "sub": ghSub, "aud": "sts.amazonaws.com",
		"repository": "octo-org/octo-repo", "repository_id": "2222222", "ref": "refs/heads/main"}
	if claims != nil {
		claims(c)
	}
	raw, _ := json.Marshal(c)
	return &evidence.Target{
		Input: evidence.Input{Issuer: ghIssuer, Profile: "aws", Audience: "sts.amazonaws.com"},
		Token: &evidence.Token{Claims: raw},
		IAM: &evidence.IAM{ProviderURL: ghHost, ClientIDs: []string{"sts.amazonaws.com"}, RoleARN: "arn:aws:iam::111122223333:role/ci",
			TrustPolicy: json.RawMessage(policy)},
	}
}

func TestJudges2026(t *testing.T) {
	aws := `"sts:AssumeRoleWithWebIdentity"`
	pinned := `{"StringEquals":{"` + ghHost + `:aud":"sts.amazonaws.com","` + ghHost + `:repository":"octo-org/octo-repo"},` +
		`"StringLike":{"` + ghHost + `:sub":"repo:octo-org/*"}}`
	tags := func(c map[string]any) {
		c["https://aws.amazon.com/tags"] = map[string]any{"principal_tags": map[string][]string{"team": {"a"}}, "transitive_tag_keys": []string{"team"}}
	}
	source := func(c map[string]any) { c["https://aws.amazon.com/source_identity"] = "deploy-bot" }
	withActions := `["sts:AssumeRoleWithWebIdentity","sts:TagSession","sts:SetSourceIdentity"]`
	tests := []struct {
		name   string
		id     string
		target *evidence.Target
		want   check.Status
		msg    string
	}{
		{"github provider key", "IAM-005", ghTarget(ghPolicy(aws, pinned), nil), check.Passed, "GitHub Actions"},
		{"github provider key evaluates", "IAM-007", ghTarget(ghPolicy(aws, pinned), nil), check.Passed, "allows"},
		{"github provider key other repository", "IAM-007", ghTarget(ghPolicy(aws, pinned), func(c map[string]any) { c["repository"] = "evil/octo-repo" }),
			check.Failed, `the token's repository is "evil/octo-repo"`},
		{"github near miss repo", "IAM-005", ghTarget(ghPolicy(aws, `{"StringEquals":{"`+ghHost+`:repo":"octo-org/octo-repo"}}`), nil),
			check.Failed, "did you mean " + ghHost + ":repository?"},
		{"github key on kubernetes", "IAM-005", withPolicyTarget(strings.Replace(good(host), host+":sub", host+":repository", 1)),
			check.Failed, "GitHub Actions tokens only"},
		{"github immutable subject", "IAM-007", ghTarget(ghPolicy(aws, `{"StringEquals":{"`+ghHost+`:sub":"`+ghSub+`"}}`),
			func(c map[string]any) { c["sub"] = "repo:octo-org@1/octo-repo@2:ref:refs/heads/main" }), check.Failed, "immutable form"},
		{"github pull_request subject", "IAM-007", ghTarget(ghPolicy(aws, `{"StringEquals":{"`+ghHost+`:sub":"`+ghSub+`"}}`),
			func(c map[string]any) { c["sub"] = "repo:octo-org/octo-repo:pull_request" }), check.Failed, "a pull_request event"},

		{"shared pinned", "IAM-008", ghTarget(ghPolicy(aws, pinned), nil), check.Passed, "pins"},
		{"shared sub star", "IAM-008", ghTarget(ghPolicy(aws, `{"StringLike":{"`+ghHost+`:sub":"*"}}`), nil), check.Failed,
			"MalformedPolicyDocument: Trust policy with trusted principal " + ghARN + " must evaluate, using StringEquals, StringLike or StringEqualsIgnoreCase, " +
				ghHost + ":sub or " + ghHost + ":job_workflow_ref which is not scoped to all."},
		{"shared no condition", "IAM-008", ghTarget(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"`+ghARN+`"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`, nil),
			check.Failed, "MalformedPolicyDocument"},
		{"not shared", "IAM-008", target(nil), check.Skipped, "not a shared provider"},

		{"no session claims", "IAM-009", ghTarget(ghPolicy(aws, pinned), nil), check.Skipped, "neither"},
		{"tags without TagSession", "IAM-009", ghTarget(ghPolicy(aws, pinned), tags), check.Failed, "sts:TagSession"},
		{"source identity without action", "IAM-009", ghTarget(ghPolicy(aws, pinned), source), check.Failed, "sts:SetSourceIdentity"},
		{"tags and source identity allowed", "IAM-009", ghTarget(ghPolicy(withActions, pinned), func(c map[string]any) { tags(c); source(c) }),
			check.Passed, "sts:TagSession and sts:SetSourceIdentity"},
		{"two values for a tag", "IAM-009", ghTarget(ghPolicy(withActions, pinned), func(c map[string]any) {
			c["https://aws.amazon.com/tags"] = map[string]any{"principal_tags": map[string][]string{"team": {"a", "b"}}}
		}), check.Failed, "exactly one value"},
		{"51 tags", "IAM-009", ghTarget(ghPolicy(withActions, pinned), func(c map[string]any) {
			many := map[string][]string{}
			for i := range 51 {
				many[strings.Repeat("k", i+1)] = []string{"v"}
			}
			c["https://aws.amazon.com/tags"] = map[string]any{"principal_tags": many}
		}), check.Failed, "PackedPolicyTooLarge"},
		{"bad source identity", "IAM-009", ghTarget(ghPolicy(withActions, pinned), func(c map[string]any) {
			c["https://aws.amazon.com/source_identity"] = "a b"
		}), check.Failed, "2 to 64 characters"},

		{"no pitfalls", "IAM-010", ghTarget(ghPolicy(aws, pinned), nil), check.Passed, ""},
		{"forallvalues", "IAM-010", ghTarget(ghPolicy(aws, `{"ForAllValues:StringEquals":{"`+ghHost+`:environment":["prod"]},"StringLike":{"`+ghHost+`:sub":"repo:o/*"}}`), nil),
			check.Warning, "holds when the token has no environment claim"},
		{"ifexists sub", "IAM-010", ghTarget(ghPolicy(aws, `{"StringLikeIfExists":{"`+ghHost+`:sub":"repo:o/*"}}`), nil), check.Warning, "IfExists"},

		{"irsa", "IAM-011", target(nil), check.Passed, "AssumeRoleWithWebIdentity"},
		{"pod identity token", "IAM-011", ghTarget(ghPolicy(aws, pinned), func(c map[string]any) { c["aud"] = "pods.eks.amazonaws.com" }),
			check.Passed, "an EKS Pod Identity token"},
		{"pod identity role", "IAM-011", withPolicyTarget(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`),
			check.Passed, "an EKS Pod Identity role"},
		{"both environments", "IAM-011", func() *evidence.Target {
			tg := target(nil)
			tg.Pod = &evidence.PodEnv{WebIdentityTokenFile: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
				ContainerCredentialsURI: "http://169.254.170.23/v1/credentials"}
			return tg
		}(), check.Passed, "IRSA and ignores Pod Identity"},
		{"pod identity only, no IAM", "IAM-011", func() *evidence.Target {
			tg := target(nil)
			tg.IAM, tg.Token = nil, nil
			tg.Pod = &evidence.PodEnv{ContainerCredentialsURI: "http://169.254.170.23/v1/credentials"}
			return tg
		}(), check.Passed, "EKS Pod Identity"},
		{"pod identity role named in IAM-004", "IAM-004", withPolicyTarget(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
			check.Failed, "EKS Pod Identity role"},
		{"pod identity token named in IAM-002", "IAM-002", ghTarget(ghPolicy(aws, pinned), func(c map[string]any) { c["aud"] = "pods.eks.amazonaws.com" }),
			check.Failed, "EKS Pod Identity token"},
	}
	cat := Checks()
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, func(t *testing.T) {
			c, _ := cat.Lookup(tt.id)
			f := c.Judge(tt.target)
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, f.Status, f.Message, tt.want, tt.msg)
			}
		})
	}
}

// withPolicyTarget is the EKS target with policy.
func withPolicyTarget(policy string) *evidence.Target { return target(withPolicy(policy)) }
