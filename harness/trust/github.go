package trust

import (
	"fmt"
	"strings"
)

// githubSubject is a GitHub Actions sub split at its parts:
// repo:<owner>/<repo>:<kind>[:<rest>], the owner and repo possibly in the
// immutable form NAME@ID (GitHub changelog 2026-04-23, "Immutable subject
// claims for GitHub Actions OIDC tokens").
type githubSubject struct {
	owner, repo string
	immutable   bool
	// kind is what the workflow ran for: "ref", "environment",
	// "pull_request", "job_workflow_ref"...; rest what follows it.
	kind, rest string
}

// parseGitHubSubject splits sub, or reports that it is not a GitHub subject.
func parseGitHubSubject(sub string) (githubSubject, bool) {
	rest, ok := strings.CutPrefix(sub, "repo:")
	if !ok {
		return githubSubject{}, false
	}
	repoPart, context, _ := strings.Cut(rest, ":")
	owner, repo, ok := strings.Cut(repoPart, "/")
	if !ok {
		return githubSubject{}, false
	}
	s := githubSubject{owner: owner, repo: repo, immutable: strings.Contains(owner, "@") || strings.Contains(repo, "@")}
	s.kind, s.rest, _ = strings.Cut(context, ":")
	return s, true
}

// describe names what a subject's context means, for a message.
func (s githubSubject) describe() string {
	switch {
	case s.kind == "pull_request":
		return "a pull_request event"
	case s.kind == "environment":
		return "the deployment environment " + s.rest
	case s.kind == "ref" && strings.HasPrefix(s.rest, "refs/tags/"):
		return "the tag " + strings.TrimPrefix(s.rest, "refs/tags/")
	case s.kind == "ref" && strings.HasPrefix(s.rest, "refs/heads/"):
		return "the branch " + strings.TrimPrefix(s.rest, "refs/heads/")
	case s.kind == "":
		return "no context"
	}
	return s.kind + " " + s.rest
}

// GitHubSubjectDifference explains why a GitHub Actions sub does not match a
// policy value for :sub, when the difference is one of GitHub's kinds: the
// immutable repo:OWNER@id/REPO@id form against a name-only policy, or
// another event (pull_request, environment:NAME, ref:refs/tags/...). It
// returns "" when neither is a GitHub subject or no such difference shows.
func GitHubSubjectDifference(tokenSub, want string) string {
	got, ok := parseGitHubSubject(tokenSub)
	if !ok {
		return ""
	}
	w, ok := parseGitHubSubject(want)
	if !ok {
		return ""
	}
	if got.immutable && !w.immutable {
		return fmt.Sprintf("the token's sub uses GitHub's immutable form repo:OWNER@id/REPO@id (%s/%s; repositories created, renamed or "+
			"transferred since 2026-07-15), the policy names the repository by name only: match repo:%s/%s:* or pin "+
			"token.actions.githubusercontent.com:repository_id", got.owner, got.repo, got.owner, got.repo)
	}
	if w.kind != "" && !strings.ContainsAny(w.kind, "*?") && got.kind != w.kind {
		return fmt.Sprintf("the token was issued for %s, the policy wants %s: GitHub's sub names the event, environment or ref the job ran for",
			got.describe(), w.describe())
	}
	if got.kind == w.kind && got.kind == "ref" && !strings.ContainsAny(w.rest, "*?") && got.rest != w.rest {
		return fmt.Sprintf("the token was issued for %s, the policy wants %s", got.describe(), w.describe())
	}
	return ""
}
