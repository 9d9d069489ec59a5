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
)

// DiscoveryPath is appended to the issuer's path (OIDC Discovery 1.0 §4).
const DiscoveryPath = "/.well-known/openid-configuration"

// Run probes every input concurrently and returns the evidence in input order.
func Run(ctx context.Context, c *fetch.Client, inputs []evidence.Input, tool string) *evidence.Run {
	run := &evidence.Run{Version: evidence.FormatVersion, Tool: tool, Targets: make([]*evidence.Target, len(inputs))}
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run.Targets[i] = Target(ctx, c, in)
		}()
	}
	wg.Wait()
	return run
}

// Target probes one issuer: discovery, then the JWKS it names.
func Target(ctx context.Context, c *fetch.Client, in evidence.Input) *evidence.Target {
	t := &evidence.Target{Input: in, ProbedAt: time.Now().UTC()}
	t.Discovery = c.Get(ctx, DiscoveryURL(in.Issuer), "application/json")
	jwksURI, reason := JWKSURI(t.Discovery)
	if reason != "" {
		t.JWKSSkipReason = reason
		return t
	}
	t.JWKS = c.Get(ctx, jwksURI, "application/json, application/jwk-set+json")
	return t
}

// DiscoveryURL is where the discovery document of issuer lives: the issuer
// without a trailing slash, plus DiscoveryPath. A query or fragment, which an
// issuer must not have (DISC-006), is dropped.
func DiscoveryURL(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil {
		return strings.TrimSuffix(issuer, "/") + DiscoveryPath
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	u.Path = strings.TrimSuffix(u.Path, "/") + DiscoveryPath
	u.RawPath = ""
	return u.String()
}

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
