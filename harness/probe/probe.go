// Package probe does all of a run's network I/O: for each target it fetches the
// discovery document and then its jwks_uri, once, and records what it saw as
// evidence. Targets are probed concurrently.
package probe

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
)

// DiscoveryPath is appended to the issuer's path (OIDC Discovery 1.0 §4).
const DiscoveryPath = stsrules.DiscoveryPath

// Job is one target to probe: its input and, optionally, a web identity
// token. The raw token is used in the probe phase (signature verification)
// and never recorded: the evidence holds its header, claims and a redacted
// signature only.
type Job struct {
	Input evidence.Input
	// Token is the raw token, or "".
	Token string
	// TokenSource says where the token came from.
	TokenSource string
	// Watch, when set, polls the JWKS for a while after the other fetches
	// (rotation checks).
	Watch *WatchOptions
	// Baseline is a JWKS saved by an earlier run, recorded for ROT-001/003.
	Baseline *evidence.Baseline
	// IAM is the issuer's IAM registration and role, recorded for IAM-001..007.
	IAM *evidence.IAM
	// STS, when set, runs the end-to-end exchange with the token.
	STS *STSJob
	// Pod is the pod's AWS SDK credential environment, recorded for IAM-011.
	Pod *evidence.PodEnv
	// Client is the bounded client that probes this target.
	Client *fetch.Client
	// Verifiers are relying parties' own verifiers, run with the raw token
	// once the documents are fetched (a token is never recorded, so they
	// run here); each records its answer in the target's Answers.
	Verifiers []Verifier
}

// Verifier runs a relying party's own verifier on the raw token, the
// fetched documents in t and the key set as served (nil when none was), and
// records its answer in t.Answers. It does no I/O.
type Verifier func(ctx context.Context, t *evidence.Target, raw string, jwks []byte)

// RepeatFetches is how many more times the JWKS is fetched, beside the first
// fetch (ROT-004); they are kept only when the first fetch answered well.
const RepeatFetches = 2

// DefaultParallel bounds how many targets are probed at once (each opens a
// few connections of its own: replicas, an STS exchange); --parallel sets it.
const DefaultParallel = 16

// Options are a probe run's settings.
type Options struct {
	// Tool is recorded in the evidence (name/version).
	Tool string
	// Parallel is how many targets are probed at once; <= 0: DefaultParallel.
	Parallel int
	// Done, when set, is called with each target (by its job's index) as
	// its probe ends, from the probing goroutine: judging may start then.
	Done func(i int, t *evidence.Target)
	// Forget, with Done, leaves the returned run's Targets nil: Done had
	// each one, and a fleet's evidence need not be held until the end.
	Forget bool
}

// Run probes every job, at most Parallel at once, each with its own Client,
// and returns the evidence in job order.
func Run(ctx context.Context, jobs []Job, o Options) *evidence.Run {
	run := &evidence.Run{Version: evidence.FormatVersion, Tool: o.Tool, Targets: make([]*evidence.Target, len(jobs))}
	n := o.Parallel
	if n <= 0 {
		n = DefaultParallel
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, n)
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			t := Target(ctx, j.Client, j)
			if o.Done != nil {
				o.Done(i, t)
			}
			if o.Done == nil || !o.Forget {
				run.Targets[i] = t
			}
		}()
	}
	wg.Wait()
	return run
}

// Target probes one issuer: discovery, then the JWKS it names, then the
// token's signature against that JWKS.
func Target(ctx context.Context, c *fetch.Client, j Job) *evidence.Target {
	// Every body is recorded with private key material removed, at the
	// one place bodies enter the evidence; the token is verified with the
	// public members, which redaction keeps.
	c = c.Recording(RedactJWKS)
	t := &evidence.Target{Input: j.Input, ProbedAt: time.Now().UTC(), Baseline: j.Baseline, IAM: j.IAM, Pod: j.Pod}
	if j.STS != nil {
		// STS fetches the issuer's keys itself; its exchange runs beside ours.
		done := make(chan struct{})
		go func() { defer close(done); t.STS = AssumeRole(ctx, *j.STS, j.Token) }()
		defer func() { <-done }()
	}
	if j.Token != "" {
		t.Token = token.Observe(j.Token, j.TokenSource)
	}
	var served []byte
	t.Discovery = c.Get(ctx, DiscoveryURL(j.Input.Issuer), "application/json")
	jwksURI, reason := JWKSURI(t.Discovery)
	if reason != "" {
		t.JWKSSkipReason = reason
		runVerifiers(ctx, t, j, nil)
		return t
	}
	// ROT-004's repeat fetches and the replicas' run beside the first
	// fetch (each on its own connection), so they add no round trip. The
	// repeats compare good answers: when the first fetch fails (a drip, an
	// error) they are called off and none is kept.
	var wg sync.WaitGroup
	repeatCtx, callOff := context.WithCancel(ctx)
	defer callOff()
	var repeats []*evidence.Exchange
	wg.Add(3)
	go func() { defer wg.Done(); t.JWKSTLS12 = c.HandshakeTLS12(ctx, jwksURI) }()
	go func() { defer wg.Done(); repeats = Repeats(repeatCtx, c, jwksURI, RepeatFetches) }()
	go func() { defer wg.Done(); t.Replicas = Replicas(ctx, c, jwksURI) }()
	t.JWKS = c.Get(ctx, jwksURI, JWKSAccept)
	// The token is verified against the key set as served (its public
	// members; private ones were redacted as recorded).
	h := t.JWKS.Final()
	good := h != nil && h.Status == 200 && t.JWKS.Err == ""
	verify := t.Token != nil && good
	if verify {
		served = h.Body
	}
	if !good {
		callOff()
	}
	if verify {
		t.Token.Verifications = token.Verify(ctx, j.Token, j.Input.Issuer, served)
	}
	wg.Wait()
	if good {
		t.Repeats = repeats
	}
	// Before the watch, so the token is judged when it was probed.
	runVerifiers(ctx, t, j, served)
	if j.Watch != nil {
		t.Polls = Watch(ctx, c, jwksURI, *j.Watch)
	}
	return t
}

// runVerifiers runs the job's relying-party verifiers on its token; not on
// one the harness does not decode (stsrules.TooLongToDecode), which the
// parties' checks report not judged.
func runVerifiers(ctx context.Context, t *evidence.Target, j Job, jwks []byte) {
	if j.Token == "" || stsrules.TooLongToDecode(strings.TrimSpace(j.Token)) {
		return
	}
	for _, v := range j.Verifiers {
		v(ctx, t, j.Token, jwks)
	}
}

// DiscoveryURL is where the discovery document of issuer lives; see
// stsrules.DiscoveryURL, which the mock STS shares.
func DiscoveryURL(issuer string) string { return stsrules.DiscoveryURL(issuer) }

// JWKSURI returns the https jwks_uri of a fetched discovery document, or the
// reason the JWKS is not to be fetched.
func JWKSURI(ex *evidence.Exchange) (string, string) {
	h := ex.Final()
	if ex.Err != "" || h == nil || h.Status != 200 {
		return "", "no discovery document"
	}
	var doc struct {
		JWKSURI any `json:"jwks_uri"`
	}
	if err := json.Unmarshal(h.Body, &doc); err != nil {
		return "", "discovery document is not JSON"
	}
	s, ok := doc.JWKSURI.(string)
	if !ok || s == "" {
		return "", "discovery document has no jwks_uri"
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "", "jwks_uri is not an absolute URL"
	}
	if u.Scheme != "https" {
		return "", "jwks_uri is not https (STS fetches keys over HTTPS only)"
	}
	return s, ""
}
