package trust

import (
	"strings"
	"testing"
)

func TestCheckKey(t *testing.T) {
	const eks = "oidc.eks.us-west-2.amazonaws.com/id/ABC"
	tests := []struct {
		name, host, key string
		ok, unconfirmed bool
		msg             string
	}{
		{"generic sub", eks, eks + ":sub", true, false, ""},
		{"github repository", GitHubHost, GitHubHost + ":repository", true, false, ""},
		{"github key case-insensitive", GitHubHost, GitHubHost + ":Job_Workflow_Ref", true, false, ""},
		{"github key on kubernetes", eks, eks + ":repository", false, false, "is a key of GitHub Actions tokens only"},
		{"custom claim", eks, eks + ":email", false, false, "STS does not fill"},
		{"repo for repository", GitHubHost, GitHubHost + ":repo", false, false, "did you mean " + GitHubHost + ":repository?"},
		{"repositoryid", GitHubHost, GitHubHost + ":repositoryid", false, false, "did you mean " + GitHubHost + ":repository_id?"},
		{"misspelled host", GitHubHost, "token.actions.githubusercontnt.com:sub", false, false, "did you mean " + GitHubHost + ":sub?"},
		{"other provider", GitHubHost, "accounts.google.com:sub", false, false, "is not a key of this provider"},
		{"google oaud", "accounts.google.com", "accounts.google.com:oaud", true, false, ""},
		{"google unconfirmed", "accounts.google.com", "accounts.google.com:email", false, true, "unconfirmed"},
		{"circleci unconfirmed", "oidc.circleci.com/org/0e1f", "oidc.circleci.com/org/0e1f:project_id", false, true, "unconfirmed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Condition{Key: tt.key}
			if err := c.parseKey("x", tt.key); err != nil {
				t.Fatal(err)
			}
			got := CheckKey(tt.host, c)
			if got.OK != tt.ok || got.Unconfirmed != tt.unconfirmed || !strings.Contains(got.Problem, tt.msg) {
				t.Errorf("CheckKey(%s, %s) = %+v, want ok %v unconfirmed %v containing %q", tt.host, tt.key, got, tt.ok, tt.unconfirmed, tt.msg)
			}
		})
	}
}

func TestConditionClaims(t *testing.T) {
	if got := ConditionClaims("https://" + GitHubHost); !strings.Contains(strings.Join(got, ","), "repository_id") {
		t.Errorf("GitHub claims %v lack repository_id", got)
	}
	if got := ConditionClaims("oidc.example.com"); len(got) != 4 {
		t.Errorf("generic claims %v, want aud, sub, amr, azp", got)
	}
}

func TestGitHubSubjectDifference(t *testing.T) {
	tests := []struct{ sub, want, msg string }{
		{"repo:octo-org@1111111/octo-repo@2222222:ref:refs/heads/main", "repo:octo-org/octo-repo:*", "immutable form"},
		{"repo:octo-org/octo-repo:pull_request", "repo:octo-org/octo-repo:ref:refs/heads/main", "a pull_request event, the policy wants the branch main"},
		{"repo:octo-org/octo-repo:environment:prod", "repo:octo-org/octo-repo:ref:refs/heads/main", "the deployment environment prod"},
		{"repo:octo-org/octo-repo:ref:refs/tags/v1", "repo:octo-org/octo-repo:ref:refs/heads/main", "the tag v1, the policy wants the branch main"},
		{"repo:octo-org/octo-repo:ref:refs/heads/main", "repo:octo-org/octo-repo:ref:refs/heads/main", ""},
		{"system:serviceaccount:default:a", "repo:octo-org/octo-repo:*", ""},
	}
	for _, tt := range tests {
		got := GitHubSubjectDifference(tt.sub, tt.want)
		if (tt.msg == "") != (got == "") || !strings.Contains(got, tt.msg) {
			t.Errorf("GitHubSubjectDifference(%q, %q) = %q, want containing %q", tt.sub, tt.want, got, tt.msg)
		}
	}
}

func TestEvaluateGitHub(t *testing.T) {
	arn := "arn:aws:iam::111122223333:oidc-provider/" + GitHubHost
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + arn + `"},"Action":"sts:AssumeRoleWithWebIdentity",` +
		`"Condition":{"StringEquals":{"` + GitHubHost + `:aud":"sts.amazonaws.com","` + GitHubHost + `:repository":"octo-org/octo-repo"},` +
		`"StringLike":{"` + GitHubHost + `:sub":"repo:octo-org/octo-repo:*"}}}]}`
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	good := map[string][]string{"aud": {"sts.amazonaws.com"}, "sub": {"repo:octo-org/octo-repo:ref:refs/heads/main"}, "repository": {"octo-org/octo-repo"}}
	if d := p.Evaluate(Request{ProviderARN: arn, Claims: good}); !d.Allowed {
		t.Errorf("good GitHub token denied: %s", d.Reason)
	}
	other := map[string][]string{"aud": {"sts.amazonaws.com"}, "sub": {"repo:octo-org/octo-repo:ref:refs/heads/main"}, "repository": {"evil/octo-repo"}}
	if d := p.Evaluate(Request{ProviderARN: arn, Claims: other}); d.Allowed || !strings.Contains(d.Reason, "repository") {
		t.Errorf("other repository: %+v", d)
	}
	immutable := map[string][]string{"aud": {"sts.amazonaws.com"}, "sub": {"repo:octo-org@1/octo-repo@2:ref:refs/heads/main"}, "repository": {"octo-org/octo-repo"}}
	if d := p.Evaluate(Request{ProviderARN: arn, Claims: immutable}); d.Allowed || !strings.Contains(d.Reason, "immutable form") {
		t.Errorf("immutable subject: %+v", d)
	}
}

func TestCheckSharedProviderAndPitfalls(t *testing.T) {
	arn := "arn:aws:iam::111122223333:oidc-provider/" + GitHubHost
	policy := func(cond string) *Policy {
		t.Helper()
		p, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + arn +
			`"},"Action":"sts:AssumeRoleWithWebIdentity"` + cond + `}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	k := GitHubHost
	for _, tt := range []struct {
		name, cond string
		refused    bool
	}{
		{"org wildcard", `,"Condition":{"StringLike":{"` + k + `:sub":"repo:org/*"}}`, false},
		{"repo star", `,"Condition":{"StringLike":{"` + k + `:sub":"repo:*"}}`, false},
		{"job_workflow_ref", `,"Condition":{"StringEquals":{"` + k + `:job_workflow_ref":"org/r/.github/workflows/d.yml@refs/heads/main"}}`, false},
		{"star", `,"Condition":{"StringLike":{"` + k + `:sub":"*"}}`, true},
		{"no condition", ``, true},
		{"only aud", `,"Condition":{"StringEquals":{"` + k + `:aud":"sts.amazonaws.com"}}`, true},
		{"negated", `,"Condition":{"StringNotEquals":{"` + k + `:sub":"repo:evil/x"}}`, true},
	} {
		err := policy(tt.cond).CheckSharedProvider(arn)
		if (err != nil) != tt.refused || (err != nil && !strings.Contains(err.Error(), "MalformedPolicyDocument: Trust policy with trusted principal "+arn)) {
			t.Errorf("%s: CheckSharedProvider = %v, want refused %v", tt.name, err, tt.refused)
		}
	}
	if err := policy(``).CheckSharedProvider("arn:aws:iam::1:oidc-provider/oidc.example.com"); err != nil {
		t.Errorf("not shared: %v", err)
	}
	for _, tt := range []struct{ name, cond, msg string }{
		{"forallvalues", `,"Condition":{"ForAllValues:StringEquals":{"` + k + `:amr":"x"}}`, "holds when the token has no amr"},
		{"forallvalues closed", `,"Condition":{"ForAllValues:StringEquals":{"` + k + `:amr":"x"},"Null":{"` + k + `:amr":"false"}}`, ""},
		{"like without wildcard", `,"Condition":{"StringLike":{"` + k + `:sub":"repo:o/r:ref:refs/heads/main"}}`, "StringLike then means StringEquals"},
		{"equals with star", `,"Condition":{"StringEquals":{"` + k + `:sub":"repo:o/*"}}`, "literal *"},
		{"ifexists on sub", `,"Condition":{"StringEqualsIfExists":{"` + k + `:sub":"repo:o/r:ref:x"}}`, "IfExists lets a token without sub"},
		{"clean", `,"Condition":{"StringEquals":{"` + k + `:sub":"repo:o/r:ref:x"}}`, ""},
	} {
		got := strings.Join(policy(tt.cond).Pitfalls(arn), "; ")
		if (tt.msg == "") != (got == "") || !strings.Contains(got, tt.msg) {
			t.Errorf("%s: Pitfalls = %q, want containing %q", tt.name, got, tt.msg)
		}
	}
}
