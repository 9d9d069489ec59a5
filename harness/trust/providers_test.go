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
