package vaultauth

import (
	"context"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
)

// Record runs cap for config c and role r (nil: setupErr, a bad set-up) on
// the documents recorded in t and the raw token, at the probe time, and
// stores the answer in t.Answers[party]. jwks is the key set as served
// (nil: as recorded); keys over the harness's caps are left out of it
// (kubeauth.FromEvidence), and a document the probe did not fetch is an
// error, never a fetch.
func Record(ctx context.Context, t *evidence.Target, party string, c *Config, r *Role, setupErr error, raw string, jwks []byte) {
	var a Answer
	if c == nil || r == nil {
		a = Answer{Stage: StageNotRun, Error: setupErr.Error()}
	} else {
		a = Validate(ctx, c, r, kubeauth.FromEvidence(t, jwks), raw, t.ProbedAt)
	}
	a.Error = token.Scrub(a.Error, raw)
	t.SetAnswer(party, a)
}

// RecordedAnswer returns the answer stored for party; ok is false when cap
// did not run (no token).
func RecordedAnswer(t *evidence.Target, party string) (Answer, bool) {
	var a Answer
	ok := t.Answer(party, &a)
	return a, ok
}

// notFetched is in the error of a request for a document the probe did
// not fetch (kubeauth.Recorded's answer).
const notFetched = "not fetched by the probe"

// Unjudged reports whether the answer is no answer: cap did not run, or it
// asked for a document the probe did not fetch.
func (a Answer) Unjudged() bool {
	return a.Stage == StageNotRun || strings.Contains(a.Error, notFetched)
}

// Judge is the finding of "cap/jwt accepts the token" for party: passed,
// failed with Vault's error, skipped when cap did not run or needed a
// document the probe did not fetch.
func Judge(t *evidence.Target, party string) check.Finding {
	if t.Token == nil {
		return check.Skip("no token given")
	}
	a, ok := RecordedAnswer(t, party)
	switch {
	case !ok:
		return check.Skip("cap/jwt did not run (it runs in the probe phase, with the token)")
	case a.Accepted():
		return check.Pass("cap/jwt, as Vault configures it, accepts the token")
	case a.Unjudged():
		return check.Skip("cap/jwt was not run to an answer: %s", a.Error)
	}
	return check.Failf("Vault (cap/jwt) refuses (%s): %s", a.Stage, a.Error)
}
