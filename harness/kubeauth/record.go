package kubeauth

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/go-logr/logr"
	"k8s.io/klog/v2"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
)

// quiet silences klog, which the authenticator logs its discovery errors
// to (they are in the answer instead); klog's logger is process-wide.
var quiet sync.Once

// Record runs the authenticator for entry j (nil: entryErr, a bad entry)
// on the documents recorded in t and the raw token, and stores its answer in
// t.Answers[party]. jwks is the key set as served (nil: as recorded).
func Record(ctx context.Context, t *evidence.Target, party string, j *JWT, entryErr error, raw string, jwks []byte) {
	quiet.Do(func() { klog.SetLogger(logr.Discard()) })
	var a Answer
	if j == nil {
		a = Answer{Stage: StageConfig, Error: entryErr.Error()}
	} else {
		a = Authenticate(ctx, j, FromEvidence(t, jwks), raw)
	}
	a.Error = token.Scrub(a.Error, raw)
	t.SetAnswer(party, a)
}

// FromEvidence is what the probe fetched for t, keyed by URL: the discovery
// document and the key set (jwks: as served; nil: as recorded). The
// authenticator asks for discovery at issuer.url (less a trailing slash) +
// /.well-known/openid-configuration, or discoveryURL: a URL the probe did
// not fetch gets an error, never a second fetch.
func FromEvidence(t *evidence.Target, jwks []byte) Recorded {
	rec := Recorded{}
	add := func(ex *evidence.Exchange, body []byte) {
		if ex == nil || ex.Err != "" || ex.Final() == nil {
			return
		}
		h := ex.Final()
		if body == nil {
			body = h.Body
		}
		rec[ex.URL] = Reply{Status: h.Status, Header: http.Header(h.Header), Body: body}
	}
	add(t.Discovery, nil)
	if t.JWKS != nil && t.JWKS.Final() != nil {
		if jwks == nil {
			jwks = t.JWKS.Final().Body
		}
		jwks = capped(jwks)
	}
	add(t.JWKS, jwks)
	return rec
}

// RecordedAnswer returns the answer stored for party; ok is false when the
// authenticator did not run (no token).
func RecordedAnswer(t *evidence.Target, party string) (Answer, bool) {
	var a Answer
	ok := t.Answer(party, &a)
	return a, ok
}

// Judge is the finding of "kube-apiserver's authenticator accepts the
// token" for party: passed naming the user, failed with its error, skipped
// when it did not run or needed a document the probe did not fetch.
func Judge(t *evidence.Target, party string) check.Finding {
	if t.Token == nil {
		return check.Skip("no token given")
	}
	if t.Token.Undecoded {
		return check.Skip("the token was not decoded: %d characters, over the %d bytes the harness decodes; the authenticator is not run on it",
			t.Token.Length, stsrules.MaxDecodedBytes)
	}
	a, ok := RecordedAnswer(t, party)
	switch {
	case !ok:
		return check.Skip("kube-apiserver's authenticator did not run (it runs in the probe phase, with the token)")
	case a.Accepted():
		return check.Pass("kube-apiserver's authenticator accepts: %s", a.Describe())
	case strings.Contains(a.Error, errNotRecorded.Error()):
		return check.Skip("kube-apiserver's authenticator needed a document the probe did not fetch: %s", a.Error)
	}
	return check.Failf("kube-apiserver's authenticator refuses (%s): %s", a.Stage, a.Error)
}

// Crosscheck compares the recorded answer with a verdict whose blocking
// checks are blocking: the checks reject a token the authenticator accepts.
// Rules about time and transport are not a disagreement: the authenticator
// judged the token once, on recorded documents, with no TLS (ROT-, TLS-, and
// the party's own unseen checks).
func Crosscheck(t *evidence.Target, party string, rejects bool, blocking []string, unseen ...string) string {
	a, ok := RecordedAnswer(t, party)
	if !ok || !rejects || !a.Accepted() {
		return ""
	}
	for _, id := range blocking {
		if !strings.HasPrefix(id, "ROT-") && !strings.HasPrefix(id, "TLS-") && !slices.Contains(unseen, id) {
			return fmt.Sprintf("kube-apiserver's authenticator accepts the token (%s) but %s rejects it: the harness and kube-apiserver disagree, a harness bug to report", a.Describe(), id)
		}
	}
	return ""
}

// Describe is the user an accepted answer names.
func (a Answer) Describe() string {
	s := kubeuser.Login(a.User, a.Groups)
	var extra []string
	for k, v := range a.Extra {
		if k == "authentication.kubernetes.io/credential-id" {
			continue // the token's jti: not worth a line
		}
		extra = append(extra, fmt.Sprintf("%s=%q", k, v))
	}
	if len(extra) > 0 {
		s += ", extra " + strings.Join(extra, " ")
	}
	return s
}
