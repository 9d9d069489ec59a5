package probe

import (
	"context"
	"net"
	"net/url"
	"slices"
	"sync"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// JWKSAccept is the Accept header of every JWKS fetch.
const JWKSAccept = "application/json, application/jwk-set+json"

// MaxReplicas bounds how many addresses of the jwks_uri host are fetched
// from; a CDN may answer with many more than matter.
const MaxReplicas = 16

// replicaConcurrency is how many addresses are fetched from at once.
const replicaConcurrency = 4

// Replicas fetches jwksURL once from every address its host resolves to
// (ROT-004), concurrently, in address order; at most MaxReplicas. It
// returns nil when the URL has no host, the host does not resolve (the main
// fetch has already recorded that) or resolves to one address (Repeats
// covers that one), and leaves out the fetches that ctx cut short. The
// bodies are redacted (RedactJWKS).
func Replicas(ctx context.Context, c *fetch.Client, jwksURL string) []evidence.Replica {
	c = c.Recording(RedactJWKS)
	u, err := url.Parse(jwksURL)
	if err != nil || u.Host == "" {
		return nil
	}
	port := u.Port()
	if port == "" {
		port = "443"
	}
	addrs, err := c.Addresses(ctx, net.JoinHostPort(u.Hostname(), port))
	if err != nil || len(addrs) < 2 {
		return nil
	}
	if len(addrs) > MaxReplicas {
		addrs = addrs[:MaxReplicas]
	}
	out := make([]evidence.Replica, len(addrs))
	sem := make(chan struct{}, replicaConcurrency)
	var wg sync.WaitGroup
	for i, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ex := c.GetVia(ctx, jwksURL, JWKSAccept, addr)
			out[i] = evidence.Replica{Addr: addr, JWKS: ex}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil { // interrupted: a fetch cut short says nothing about the address
		out = slices.DeleteFunc(out, func(r evidence.Replica) bool { return r.JWKS.Final() == nil })
	}
	return out
}

// Repeats fetches jwksURL n more times (ROT-004), concurrently (each on a
// connection of its own, as a fleet of clients would), and returns the
// fetches in order, leaving out those ctx cut short; their bodies are
// redacted (RedactJWKS).
func Repeats(ctx context.Context, c *fetch.Client, jwksURL string, n int) []*evidence.Exchange {
	c = c.Recording(RedactJWKS)
	if n <= 0 {
		return nil
	}
	out := make([]*evidence.Exchange, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ex := c.Get(ctx, jwksURL, JWKSAccept)
			out[i] = ex
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return slices.DeleteFunc(out, func(ex *evidence.Exchange) bool { return ex.Final() == nil })
	}
	return out
}
