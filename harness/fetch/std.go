package fetch

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"time"
)

// HTTPClient returns a standard *http.Client for code that needs one (the
// AWS SDK's STS calls) with this Client's bounds: the same dialer and
// --resolve pins, the same dial, handshake and header timeouts, timeout for
// the whole request, no redirects followed, no cookies, and at most maxBody
// bytes read of an answer. Unlike Get it verifies TLS itself, against the
// system roots plus ExtraRoots: an SDK must never talk to an unverified peer.
func (c *Client) HTTPClient(timeout time.Duration, maxBody int64) *http.Client {
	tr := &http.Transport{
		DialContext:            c.dial,
		TLSClientConfig:        &tls.Config{RootCAs: c.trusted(), MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    c.opts.TLSHandshakeTimeout,
		ResponseHeaderTimeout:  c.opts.ResponseHeaderTimeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        30 * time.Second,
	}
	return Capped(&http.Client{Transport: tr}, timeout, maxBody)
}

// Capped bounds hc (whose transport nil means http.DefaultTransport): a
// whole-request timeout, no redirects followed (the 3xx is the answer), and
// a read past maxBody bytes of any answer fails instead of handing on more.
func Capped(hc *http.Client, timeout time.Duration, maxBody int64) *http.Client {
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{
		Transport:     capTransport{base: base, max: maxBody},
		Timeout:       timeout,
		Jar:           nil,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// capTransport cuts every response body at max bytes.
type capTransport struct {
	base http.RoundTripper
	max  int64
}

// RoundTrip sends r and caps the answer's body.
func (t capTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &capBody{ReadCloser: resp.Body, left: t.max, max: t.max}
	return resp, nil
}

// capBody fails a read past its limit instead of handing on more.
type capBody struct {
	io.ReadCloser
	left, max int64
}

// Read reads at most the bytes left under the cap.
func (b *capBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("fetch: answer is larger than %d bytes", b.max)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
