package cli

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/infile"
)

// parseIssuer accepts anything that parses as an absolute URL with a host:
// an issuer that breaks a rule (http://, a query) is judged by DISC-006, not
// refused here.
func parseIssuer(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("--issuer %q is not a URL: %v", s, err)
	}
	if !u.IsAbs() || u.Host == "" {
		return "", fmt.Errorf("--issuer %q is not an absolute URL with a host (want https://host/path)", s)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("--issuer %q: scheme %q is not http or https", s, u.Scheme)
	}
	return s, nil
}

var hex40 = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// parseThumbprints checks IAM thumbprints: at most 5, 40 hex characters each.
// They are compared in lower case.
func parseThumbprints(in []string) ([]string, error) {
	if len(in) > 5 {
		return nil, fmt.Errorf("--thumbprint given %d times; IAM keeps at most 5", len(in))
	}
	var out []string
	for _, t := range in {
		t = strings.ReplaceAll(t, ":", "")
		if !hex40.MatchString(t) {
			return nil, fmt.Errorf("--thumbprint %q is not 40 hex characters", t)
		}
		out = append(out, strings.ToLower(t))
	}
	return out, nil
}

// readCAFile reads a PEM bundle of CA certificates.
func readCAFile(path string) ([]*x509.Certificate, error) {
	if path == "" {
		return nil, nil
	}
	b, err := infile.Read("--ca-file", path, infile.PEM)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("--ca-file %s: %w", path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("--ca-file %s: no PEM certificate in it", path)
	}
	return certs, nil
}

// parseResolve reads curl-style HOST:PORT:ADDR[,ADDR]... pins into a
// "host:port" -> addresses map. An ADDR may carry its own port
// (127.0.0.1:8443, [::1]:8443) to send the connection to another port, as
// curl's --connect-to does.
func parseResolve(in []string) (map[string][]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	m := map[string][]string{}
	for _, r := range in {
		parts := strings.SplitN(r, ":", 3)
		if len(parts) != 3 || parts[0] == "" || parts[2] == "" {
			return nil, fmt.Errorf("--resolve %q: want HOST:PORT:ADDR", r)
		}
		host, port := parts[0], parts[1]
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("--resolve %q: bad port %q", r, port)
		}
		key := net.JoinHostPort(host, port)
		for _, addr := range strings.Split(parts[2], ",") {
			if !validAddr(addr) {
				return nil, fmt.Errorf("--resolve %q: %q is not an IP address (optionally with :port)", r, addr)
			}
			m[key] = append(m[key], addr)
		}
	}
	return m, nil
}

func validAddr(a string) bool {
	if net.ParseIP(strings.Trim(a, "[]")) != nil {
		return true
	}
	h, p, err := net.SplitHostPort(a)
	return err == nil && net.ParseIP(h) != nil && p != ""
}

// checkWritable makes sure a report can be written to path before any probing,
// leaving no file behind that was not there.
func checkWritable(flag, path string) error {
	if path == "" {
		return nil
	}
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	f.Close()
	if os.IsNotExist(statErr) {
		os.Remove(path)
	}
	return nil
}
