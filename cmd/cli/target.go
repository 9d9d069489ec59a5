package cli

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/harness/partition"
	"github.com/oidc-conformance/oidc-conformance/suites/claims"
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

// readCAFile reads a PEM bundle of CA certificates, named by what (a flag,
// or a targets-file field) in errors.
func readCAFile(what, path string) ([]*x509.Certificate, error) {
	if path == "" {
		return nil, nil
	}
	b, err := infile.Read(what, path, infile.PEM)
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
			return nil, fmt.Errorf("%s %s: %w", what, path, err)
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

// Target is one validated target: everything a run needs to probe and judge
// it, built once from the flags or from an entry of a --targets file (the
// flags giving the entry's defaults).
type Target struct {
	// Name names the target in reports; Index is its place in the list.
	Name  string
	Index int
	// Issuer is the issuer URL (from the entry, or its eks_cluster file).
	Issuer           string
	Profile          check.Profile
	Audience         string
	MaxTokenLifetime time.Duration
	// CAFile is the extra CA bundle as given; Roots its certificates.
	CAFile      string
	Roots       []*x509.Certificate
	Thumbprints []string
	Resolve     map[string][]string
	// Token is where this target's token comes from (its own file or
	// command, else the run's source).
	TokenFile, TokenCmd string
	// IAM: the provider as registered, the role's trust policy, the role.
	Provider    *evidence.IAM
	TrustPolicy []byte
	TrustSource string
	RoleARN     string
}

// fieldLabel names a field in an error: the entry and field for a value the
// targets file set, the flag for a value the flags gave.
type fieldLabel func(field string) string

// flagOf maps a targets-file field to the flag that gives its default.
var flagOf = map[string]string{
	"issuer": "--issuer", "audience": "--audience", "profile": "--profile",
	"ca_file": "--ca-file", "thumbprints": "--thumbprint", "resolve": "--resolve",
	"max_token_lifetime": "--max-token-lifetime", "token_file": "--token-file", "token_cmd": "--token-cmd",
	"iam_provider": "--iam-provider", "trust_policy": "--trust-policy", "role_arn": "--role-arn",
}

// withDefaults fills s's empty fields from def (the flags) and returns the
// fields s set itself.
func (s targetSpec) withDefaults(def targetSpec) (targetSpec, map[string]bool) {
	own := map[string]bool{}
	str := func(field string, v *string, d string) {
		if *v == "" {
			*v = d
		} else {
			own[field] = true
		}
	}
	list := func(field string, v *[]string, d []string) {
		if len(*v) == 0 {
			*v = d
		} else {
			own[field] = true
		}
	}
	str("name", &s.Name, "")
	str("issuer", &s.Issuer, def.Issuer)
	str("eks_cluster", &s.EKSCluster, "")
	str("audience", &s.Audience, def.Audience)
	str("profile", &s.Profile, def.Profile)
	str("ca_file", &s.CAFile, def.CAFile)
	list("thumbprints", &s.Thumbprints, def.Thumbprints)
	list("resolve", &s.Resolve, def.Resolve)
	str("max_token_lifetime", &s.MaxTokenLifetime, def.MaxTokenLifetime)
	str("token_file", &s.TokenFile, def.TokenFile)
	str("token_cmd", &s.TokenCmd, def.TokenCmd)
	str("iam_provider", &s.IAMProvider, def.IAMProvider)
	str("trust_policy", &s.TrustPolicy, def.TrustPolicy)
	str("role_arn", &s.RoleARN, def.RoleARN)
	return s, own
}

// buildTarget validates one merged spec; label names a field in errors.
func buildTarget(s targetSpec, index int, label fieldLabel) (Target, error) {
	t := Target{Name: s.Name, Index: index, Audience: s.Audience, CAFile: s.CAFile,
		TokenFile: s.TokenFile, TokenCmd: s.TokenCmd, RoleARN: s.RoleARN}
	fail := func(field string, err error) (Target, error) {
		return Target{}, fmt.Errorf("%s: %w", label(field), err)
	}
	var err error
	switch {
	case s.Issuer != "" && s.EKSCluster != "":
		return fail("eks_cluster", fmt.Errorf("give issuer or eks_cluster, not both"))
	case s.EKSCluster != "":
		if s.Issuer, err = eksIssuer(s.EKSCluster); err != nil {
			return fail("eks_cluster", err)
		}
	case s.Issuer == "":
		return fail("issuer", fmt.Errorf("no issuer (nor eks_cluster)"))
	}
	if t.Issuer, err = parseIssuer(s.Issuer); err != nil {
		return fail("issuer", err)
	}
	if t.Name == "" {
		t.Name = t.Issuer
	}
	if t.Profile, err = check.ParseProfile(s.Profile); err != nil {
		return fail("profile", err)
	}
	aud := s.Audience
	if r, err := partition.ParseRole(s.RoleARN); err == nil && aud == "" && r.Partition.ID == "aws-cn" {
		aud = r.Partition.Audience // China STS's own audience
	}
	t.Audience = claims.ExpectedAudience(t.Profile, aud)
	if t.Thumbprints, err = parseThumbprints(s.Thumbprints); err != nil {
		return fail("thumbprints", err)
	}
	if t.Resolve, err = parseResolve(s.Resolve); err != nil {
		return fail("resolve", err)
	}
	if t.Roots, err = readCAFile(label("ca_file"), s.CAFile); err != nil {
		return Target{}, err // the bounded reader names the field
	}
	if t.MaxTokenLifetime, err = time.ParseDuration(s.MaxTokenLifetime); err != nil || t.MaxTokenLifetime <= 0 {
		return fail("max_token_lifetime", fmt.Errorf("%q: want a positive duration such as 24h", s.MaxTokenLifetime))
	}
	if s.RoleARN != "" {
		if _, err := partition.ParseRole(s.RoleARN); err != nil {
			return fail("role_arn", err)
		}
	}
	if s.IAMProvider != "" {
		b, err := infile.Read(label("iam_provider"), s.IAMProvider, infile.JSON)
		if err != nil {
			return Target{}, err
		}
		if t.Provider, err = readProvider(b); err != nil {
			return fail("iam_provider", fmt.Errorf("%s: %w", s.IAMProvider, err))
		}
		t.Provider.ProviderSource = "--iam-provider " + s.IAMProvider
	}
	if s.TrustPolicy != "" {
		b, err := infile.Read(label("trust_policy"), s.TrustPolicy, infile.JSON)
		if err != nil {
			return Target{}, err
		}
		if !json.Valid(b) {
			return fail("trust_policy", fmt.Errorf("%s: not JSON", s.TrustPolicy))
		}
		t.TrustPolicy, t.TrustSource = b, "--trust-policy "+s.TrustPolicy
	}
	return t, nil
}

// input is the target as the evidence records it.
func (t Target) input() evidence.Input {
	return evidence.Input{
		Name: t.Name, Index: t.Index, Issuer: t.Issuer, Profile: string(t.Profile), Thumbprints: t.Thumbprints,
		CAFile: t.CAFile, Audience: t.Audience, MaxTokenLifetime: evidence.Duration(t.MaxTokenLifetime),
	}
}
