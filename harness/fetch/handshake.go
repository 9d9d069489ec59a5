package fetch

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// HandshakeTLS12 makes one TLS handshake with the host of rawURL capped at
// TLS 1.2 and closes the connection: whether the host still speaks TLS 1.2,
// which decides whether IAM verifies its chain or "falls back to thumbprint
// verification" (IAM User Guide, Obtain the thumbprint for an OpenID Connect
// identity provider). It never returns an error: a refusal is recorded.
func (c *Client) HandshakeTLS12(ctx context.Context, rawURL string) *evidence.Handshake {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return &evidence.Handshake{MaxVersion: "TLS 1.2", Error: fmt.Sprintf("%q is not an https URL", rawURL)}
	}
	hostport := u.Host
	if u.Port() == "" {
		hostport = net.JoinHostPort(u.Hostname(), "443")
	}
	h := &evidence.Handshake{Host: hostport, MaxVersion: "TLS 1.2"}
	ctx, cancel := context.WithTimeout(ctx, c.opts.DialTimeout+c.opts.TLSHandshakeTimeout)
	defer cancel()
	raw, err := c.dial(ctx, "tcp", hostport)
	if err != nil {
		h.Error = fmt.Sprintf("connect %s: %v", hostport, err)
		return h
	}
	conn := tls.Client(raw, &tls.Config{
		ServerName:         u.Hostname(),
		InsecureSkipVerify: true, //nolint:gosec // only the version is learnt here
		MinVersion:         tls.VersionTLS12,
		MaxVersion:         tls.VersionTLS12,
	})
	defer conn.Close()
	if err := conn.HandshakeContext(ctx); err != nil {
		h.Error = fmt.Sprintf("TLS 1.2 handshake with %s: %v", hostport, err)
		return h
	}
	h.Accepted = true
	h.Version = tls.VersionName(conn.ConnectionState().Version)
	return h
}
