package kubeauth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"k8s.io/apiserver/plugin/pkg/authenticator/token/oidc"
)

// Recorded maps a URL the authenticator fetches to the answer the probe
// recorded for it. The authenticator gets those answers, never the network.
type Recorded map[string]Reply

// Reply is one recorded HTTP answer.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Stage is where the authenticator stopped.
type Stage string

// Stages of an Answer.
const (
	// StageConfig: the jwt[] entry does not validate or compile (CEL).
	StageConfig Stage = "config"
	// StageDiscovery: the authenticator could not initialize from discovery.
	StageDiscovery Stage = "discovery"
	// StageToken: the token was refused (verification or claim rules).
	StageToken Stage = "token"
	// StageAccepted: the token authenticated.
	StageAccepted Stage = "accepted"
	// StageNotRouted: the token's iss is not this entry's url, so the API
	// server would not give it to this authenticator at all.
	StageNotRouted Stage = "not-routed"
)

// Answer is what the authenticator answered.
type Answer struct {
	Stage Stage `json:"stage"`
	// User, UID, Groups and Extra are the user the token authenticates as.
	User   string              `json:"user,omitempty"`
	UID    string              `json:"uid,omitempty"`
	Groups []string            `json:"groups,omitempty"`
	Extra  map[string][]string `json:"extra,omitempty"`
	// Error is the authenticator's error, as kube-apiserver would log it.
	Error string `json:"error,omitempty"`
}

// Accepted reports whether the token authenticated.
func (a Answer) Accepted() bool { return a.Stage == StageAccepted }

// initWait bounds how long the authenticator may take to read the recorded
// discovery document; it is in memory, so this is only a guard.
const initWait = 5 * time.Second

// Authenticate runs kube-apiserver's JWT authenticator for entry j on the
// recorded answers and the token raw. It accepts every algorithm
// kube-apiserver accepts with --authentication-config (RS, ES, PS 256..512).
// The authenticator checks exp against the wall clock: that is its own rule.
func Authenticate(ctx context.Context, j *JWT, rec Recorded, raw string) Answer {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	authn, err := oidc.New(ctx, oidc.Options{
		JWTAuthenticator:     j.a,
		Client:               &http.Client{Transport: rec, Timeout: initWait},
		SupportedSigningAlgs: oidc.AllValidSigningAlgorithms(),
	})
	if err != nil {
		return Answer{Stage: StageConfig, Error: err.Error()}
	}
	if err := awaitInit(ctx, authn); err != nil {
		return Answer{Stage: StageDiscovery, Error: err.Error()}
	}
	resp, ok, err := authn.AuthenticateToken(ctx, raw)
	switch {
	case err != nil:
		return Answer{Stage: StageToken, Error: err.Error()}
	case !ok:
		return Answer{Stage: StageNotRouted, Error: fmt.Sprintf("the token's iss is not %q: the API server gives it to another authenticator", j.URL())}
	}
	u := resp.User
	groups := slices.Clone(u.GetGroups())
	return Answer{Stage: StageAccepted, User: u.GetName(), UID: u.GetUID(), Groups: groups, Extra: u.GetExtra()}
}

// awaitInit waits for the authenticator's first discovery, which it runs in
// the background: nil once it is ready, else the error it reports.
func awaitInit(ctx context.Context, authn oidc.AuthenticatorTokenWithHealthCheck) error {
	deadline := time.Now().Add(initWait)
	for {
		err := authn.HealthCheck()
		if err == nil {
			return nil
		}
		if !strings.Contains(err.Error(), "is not initialized") || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("kubeauth: %w", ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

// errNotRecorded answers a request for a URL the probe did not fetch.
var errNotRecorded = errors.New("kubeauth: not fetched by the probe")

// RoundTrip answers from the recorded replies.
func (r Recorded) RoundTrip(req *http.Request) (*http.Response, error) {
	rep, ok := r[req.URL.String()]
	if !ok {
		return nil, fmt.Errorf("GET %s: %w", req.URL, errNotRecorded)
	}
	h := rep.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{
		Status: fmt.Sprintf("%d %s", rep.Status, http.StatusText(rep.Status)), StatusCode: rep.Status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(rep.Body)), ContentLength: int64(len(rep.Body)), Request: req,
	}, nil
}
