// Package fetch is the bounded HTTP client the harness (and the mock STS) use
// against servers they do not trust: every request has a deadline, every body
// a size cap, redirects are followed by hand, at most a few hops, each hop
// recorded; no cookies; TLS chains are recorded and verified without letting a
// bad certificate hide what the server serves.
package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Defaults for Options' zero fields.
const (
	DefaultDialTimeout           = 5 * time.Second
	DefaultTLSHandshakeTimeout   = 5 * time.Second
	DefaultResponseHeaderTimeout = 10 * time.Second
	DefaultRequestTimeout        = 15 * time.Second
	DefaultMaxBody               = 1 << 20
	DefaultMaxRedirects          = 5
)

// Options configure a Client. Zero fields take the defaults above.
type Options struct {
	// DialTimeout bounds the TCP connect. Zero: DefaultDialTimeout.
	DialTimeout time.Duration
	// TLSHandshakeTimeout bounds the TLS handshake. Zero: DefaultTLSHandshakeTimeout.
	TLSHandshakeTimeout time.Duration
	// ResponseHeaderTimeout bounds the wait for headers. Zero: DefaultResponseHeaderTimeout.
	ResponseHeaderTimeout time.Duration
	// RequestTimeout bounds one Get, redirects and body included. Zero: DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxBody caps each body read. Zero: DefaultMaxBody (1 MiB).
	MaxBody int64
	// MaxRedirects is how many redirects are followed (each recorded). Zero:
	// DefaultMaxRedirects; negative: none.
	MaxRedirects int
	// Resolve pins "host:port" to dial addresses, as curl's --resolve does;
	// an address may carry its own port ("127.0.0.1:8443"). Connections go to
	// the first; ROT-004 fetches from each. Nil: DNS as usual.
	Resolve map[string][]string
	// ExtraRoots are trusted for verification in addition to the system roots.
	ExtraRoots []*x509.Certificate
	// PublicRoots, when non-nil, stand for the public roots in
	// evidence.TLS.PubliclyTrusted instead of the system roots, so that a
	// test can make its own CA "publicly trusted". They are also trusted
	// for verification.
	PublicRoots []*x509.Certificate
	// UserAgent is sent with every request. Empty: "oidc-conformance".
	UserAgent string
	// Record, when set, rewrites each body before it is recorded in a Hop
	// (the probe removes private key material there, so nothing later can
	// copy it into evidence). Nil: bodies are recorded as received.
	Record func([]byte) []byte
}

// Client performs bounded GETs and records them as evidence. It is safe for
// concurrent use.
type Client struct {
	// rt is used directly, not through http.Client, so that redirects
	// (even with unparseable Locations) and cookies are handled here alone.
	rt   *http.Transport
	opts Options
	// roots (system plus extra) are loaded in the background, while the
	// first connection is dialled (shared by copies of the Client: GetVia).
	roots  *rootPool
	public *x509.CertPool // system alone (nil: Verify uses the system roots)
	// verified caches chain verdicts by chain and name (see verdictOf).
	verified *sync.Map
	cached   *atomic.Int64
	dialer   *net.Dialer
	resolve  map[string][]string
}

// New returns a Client with the given options.
func New(opts Options) *Client {
	if opts.DialTimeout == 0 {
		opts.DialTimeout = DefaultDialTimeout
	}
	if opts.TLSHandshakeTimeout == 0 {
		opts.TLSHandshakeTimeout = DefaultTLSHandshakeTimeout
	}
	if opts.ResponseHeaderTimeout == 0 {
		opts.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	}
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "oidc-conformance"
	}
	c := &Client{opts: opts, dialer: &net.Dialer{Timeout: opts.DialTimeout}, resolve: opts.Resolve, roots: &rootPool{ready: make(chan struct{})}, verified: &sync.Map{}, cached: &atomic.Int64{}}
	go c.roots.load(append(append([]*x509.Certificate(nil), opts.ExtraRoots...), opts.PublicRoots...))
	if opts.PublicRoots != nil {
		c.public = x509.NewCertPool()
		for _, r := range opts.PublicRoots {
			c.public.AddCert(r)
		}
	}
	tr := &http.Transport{
		DialContext: c.dial,
		// Verification is done by hand after the handshake (see verify) so
		// that a bad chain is recorded and judged by TLS-001 instead of hiding
		// every document the server serves.
		TLSClientConfig: &tls.Config{
			InsecureSkipVerify: true, //nolint:gosec // verified in verify()
			MinVersion:         tls.VersionTLS10,
		},
		TLSHandshakeTimeout:    opts.TLSHandshakeTimeout,
		ResponseHeaderTimeout:  opts.ResponseHeaderTimeout,
		MaxResponseHeaderBytes: 64 << 10,
		DisableCompression:     true,
		// A fleet's issuers often share one host (EKS's regional one):
		// keep enough connections to it for every target probed at once.
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     30 * time.Second,
	}
	c.rt = tr
	return c
}

// Recording returns a client sharing c's connections that records bodies
// through record (see Options.Record).
func (c *Client) Recording(record func([]byte) []byte) *Client {
	r := *c
	r.opts.Record = record
	return &r
}

// rootPool is a certificate pool loaded in the background.
type rootPool struct {
	ready chan struct{} // closed once pool is set
	pool  *x509.CertPool
}

// load reads the system roots (some milliseconds, once per process) and
// adds extra, then closes ready.
func (r *rootPool) load(extra []*x509.Certificate) {
	defer close(r.ready)
	pool, _ := x509.SystemCertPool()
	if pool == nil {
		pool = x509.NewCertPool()
	}
	pool = pool.Clone()
	for _, c := range extra {
		pool.AddCert(c)
	}
	r.pool = pool
}

// trusted returns the roots, waiting for them to be loaded.
func (c *Client) trusted() *x509.CertPool {
	<-c.roots.ready
	return c.roots.pool
}

// MaxBody is the body cap in force.
func (c *Client) MaxBody() int64 { return c.opts.MaxBody }

// CloseIdle closes idle connections.
func (c *Client) CloseIdle() { c.rt.CloseIdleConnections() }

func (c *Client) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if to := c.Pinned(addr); len(to) > 0 {
		addr = to[0]
	}
	return c.dialer.DialContext(ctx, network, addr)
}

// Pinned returns the dial addresses (host:port) pinned for hostport by
// Options.Resolve, or nil.
func (c *Client) Pinned(hostport string) []string { return Pins(c.resolve, hostport) }

// Pins returns the dial addresses (host:port) that resolve pins hostport to,
// as curl's --resolve: an address without a port takes hostport's. Nil when
// hostport is not pinned.
func Pins(resolve map[string][]string, hostport string) []string {
	pins := resolve[hostport]
	if len(pins) == 0 {
		return nil
	}
	_, port, _ := net.SplitHostPort(hostport)
	out := make([]string, 0, len(pins))
	for _, to := range pins {
		if _, _, err := net.SplitHostPort(to); err != nil {
			to = net.JoinHostPort(strings.Trim(to, "[]"), port)
		}
		out = append(out, to)
	}
	return out
}

// Get fetches rawURL, following at most MaxRedirects redirects, and records
// every hop. It never returns an error: failures are recorded in the Exchange.
func (c *Client) Get(ctx context.Context, rawURL string, accept string) *evidence.Exchange {
	ctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	ex := &evidence.Exchange{URL: rawURL}
	start := time.Now()
	defer func() { ex.Elapsed = evidence.Duration(time.Since(start)) }()

	next := rawURL
	for hop := 0; ; hop++ {
		h, loc, err := c.once(ctx, next, accept)
		if h != nil {
			ex.Hops = append(ex.Hops, *h)
		}
		if err != nil {
			ex.Err, ex.Failure = err.Error(), kindOf(ctx, err)
			return ex
		}
		if loc == "" {
			return ex
		}
		if err := Downgrade(next, loc); err != nil {
			ex.Err, ex.Failure = err.Error(), evidence.FailDowngrade
			return ex
		}
		if hop >= c.opts.MaxRedirects {
			ex.Err, ex.Failure = fmt.Sprintf("get %s: stopped after %d redirects", rawURL, hop), evidence.FailRedirect
			return ex
		}
		next = loc
	}
}

// once does a single request. It returns the hop, and the absolute Location to
// follow when the answer is a redirect.
func (c *Client) once(ctx context.Context, rawURL, accept string) (*evidence.Hop, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, "", failf(evidence.FailRequest, fmt.Sprintf("get %s: %v", rawURL, err))
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	// Whether the handshake succeeded, so a later failure does not read as
	// a TLS failure (thumbprint's message, DISC-001's).
	var handshook atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) { handshook.Store(err == nil) },
	}))
	resp, err := c.rt.RoundTrip(req)
	if err != nil && handshook.Load() {
		return nil, "", fmt.Errorf("get %s: the TLS handshake succeeded, then: %w", rawURL, unwrapURLError(err))
	}
	if err != nil {
		return nil, "", fmt.Errorf("get %s: %w", rawURL, unwrapURLError(err))
	}
	defer resp.Body.Close()
	h := &evidence.Hop{URL: rawURL, Status: resp.StatusCode, Header: resp.Header.Clone()}
	if resp.TLS != nil {
		h.TLS = c.verify(req.URL, resp.TLS)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	if int64(len(body)) > c.opts.MaxBody {
		body = body[:c.opts.MaxBody]
		h.Truncated = true
	}
	h.Body = body
	if c.opts.Record != nil {
		h.Body = c.opts.Record(body)
	}
	if err == nil && ctx.Err() != nil {
		// A body cut short by the deadline can end in a clean EOF.
		err = ctx.Err()
	}
	if err != nil {
		h.Err = fmt.Sprintf("read body of %s: %v", rawURL, unwrapURLError(err))
		return h, "", fmt.Errorf("read body of %s: %w", rawURL, unwrapURLError(err))
	}
	if h.Truncated {
		h.Err = fmt.Sprintf("body of %s is larger than the %d-byte cap", rawURL, c.opts.MaxBody)
		return h, "", failf(evidence.FailTooLarge, h.Err)
	}
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		loc := resp.Header.Get("Location")
		if loc == "" {
			return h, "", nil
		}
		u, err := req.URL.Parse(loc)
		if err != nil {
			return h, "", failf(evidence.FailRedirect, fmt.Sprintf("get %s: bad redirect Location %q: %v", rawURL, loc, err))
		}
		return h, u.String(), nil
	}
	return h, "", nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
