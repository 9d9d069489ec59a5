package kubernetes

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
)

// Verify runs kube-apiserver's authenticator on the raw token with the
// documents the probe fetched (jwks: the key set as served) and records its
// answer in t.Answers[Name]. It fetches nothing.
func Verify(ctx context.Context, t *evidence.Target, raw string, jwks []byte) {
	var a kubeauth.Answer
	j, _, err := entry(t.Input)
	if err != nil {
		a = kubeauth.Answer{Stage: kubeauth.StageConfig, Error: err.Error()}
	} else {
		a = kubeauth.Authenticate(ctx, j, recorded(t, jwks), raw)
	}
	a.Error = scrub(a.Error, raw)
	b, err := json.Marshal(a)
	if err != nil {
		return
	}
	if t.Answers == nil {
		t.Answers = map[string]json.RawMessage{}
	}
	t.Answers[Name] = b
}

// recorded is what the probe fetched, keyed by URL: the discovery document
// and the key set. The authenticator asks for discovery at issuer.url (less
// a trailing slash) + /.well-known/openid-configuration, or discoveryURL:
// a URL the probe did not fetch gets an error, never a second fetch.
func recorded(t *evidence.Target, jwks []byte) kubeauth.Recorded {
	rec := kubeauth.Recorded{}
	add := func(url string, ex *evidence.Exchange, body []byte) {
		h := ex.Final()
		if ex == nil || h == nil || ex.Err != "" {
			return
		}
		if body == nil {
			body = h.Body
		}
		rec[url] = kubeauth.Reply{Status: h.Status, Header: http.Header(h.Header), Body: body}
	}
	if t.Discovery != nil {
		add(t.Discovery.URL, t.Discovery, nil)
	}
	if t.JWKS != nil {
		add(t.JWKS.URL, t.JWKS, jwks)
	}
	return rec
}

// answer is the authenticator's recorded answer; ok is false when it did not run.
func answer(t *evidence.Target) (kubeauth.Answer, bool) {
	var a kubeauth.Answer
	raw, ok := t.Answers[Name]
	if !ok || json.Unmarshal(raw, &a) != nil {
		return a, false
	}
	return a, true
}

// scrub keeps the token and its signature out of an error message.
func scrub(msg, raw string) string {
	if raw == "" || msg == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, raw, "[token]")
	if i := strings.LastIndexByte(raw, '.'); i >= 0 && len(raw)-i > 8 {
		msg = strings.ReplaceAll(msg, raw[i+1:], "[signature]")
	}
	return msg
}
