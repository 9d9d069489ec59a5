package fetch

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// GetVia is Get with every connection to the URL's host:port made to addr
// (host:port) instead, the way curl --connect-to does: SNI, the Host header
// and certificate verification still use the URL's host name. A redirect to
// another host is followed the ordinary way, not through addr. The bounds
// are Get's; the per-call connections are closed when it returns.
func (c *Client) GetVia(ctx context.Context, rawURL, accept, addr string) *evidence.Exchange {
	target, err := hostPort(rawURL)
	if err != nil {
		return &evidence.Exchange{URL: rawURL, Err: fmt.Sprintf("get %s via %s: %v", rawURL, addr, err), Failure: evidence.FailRequest}
	}
	tr := c.rt.Clone()
	tr.DialContext = func(ctx context.Context, network, hp string) (net.Conn, error) {
		if hp == target {
			return c.dialer.DialContext(ctx, network, addr)
		}
		return c.dial(ctx, network, hp)
	}
	defer tr.CloseIdleConnections()
	via := *c
	via.rt = tr
	return via.Get(ctx, rawURL, accept)
}

// hostPort is the host:port a URL connects to, with the scheme's default port.
func hostPort(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("parse url: %w", err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("url %q has no host", rawURL)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port), nil
}

// Addresses returns every address (host:port) that hostport reaches: the
// addresses pinned by Options.Resolve when there are any, else every A and
// AAAA record of the host (an IP literal is its own address). The lookup is
// bounded by ctx and by the dial timeout.
func (c *Client) Addresses(ctx context.Context, hostport string) ([]string, error) {
	if pins := c.Pinned(hostport); len(pins) > 0 {
		return pins, nil
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, fmt.Errorf("addresses of %q: %w", hostport, err)
	}
	if net.ParseIP(strings.Trim(host, "[]")) != nil {
		return []string{hostport}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.DialTimeout)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("addresses of %s: %w", host, err)
	}
	var out []string
	for _, ip := range ips {
		if a := net.JoinHostPort(ip.String(), port); !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("addresses of %s: no A or AAAA record", host)
	}
	return out, nil
}
