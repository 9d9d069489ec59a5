package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/sts"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/iaminput"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// roleARNPattern is an IAM role ARN of the aws partition:
// arn:aws:iam::<12 digits>:role/<path/>name. (The other partitions' ARNs,
// endpoints and STS differ; the harness does not judge them.)
var roleARNPattern = regexp.MustCompile(`^arn:aws:iam::([0-9]{12}):role/(?:[\x21-\x7e]+/)?([\w+=,.@-]{1,64})$`)

// stsPlan is the IAM side and the STS exchange of a run.
type stsPlan struct {
	mode     string // "", "mock", "aws" or "url"
	endpoint string
	region   string
	roleARN  string
	session  string
	// provider is the --iam-provider as given (not validated: IAM-001..003 judge it).
	provider       *evidence.IAM
	trustPolicy    []byte
	trustSource    string
	thumbprints    []string
	roots          []*x509.Certificate
	requestTimeout time.Duration
	// mockRoleARN is the role the mock STS has (default roleARN).
	mockRoleARN string
	// misbehave makes the mock STS answer unlike STS (fixture defects).
	misbehave []string
}

// stsPlan validates the IAM and STS flags.
func (o *RunOptions) stsPlan(roots []*x509.Certificate, thumbprints []string) (*stsPlan, error) {
	s := &stsPlan{roleARN: o.RoleARN, session: o.SessionName, roots: roots, thumbprints: thumbprints, region: o.Region, requestTimeout: min(o.Timeout, 15*time.Second)}
	if o.RoleARN != "" && !roleARNPattern.MatchString(o.RoleARN) {
		return nil, fmt.Errorf("--role-arn %q is not arn:aws:iam::<12-digit account>:role/<name> (the aws partition)", o.RoleARN)
	}
	if !regexp.MustCompile(`^[\w+=,.@-]{2,64}$`).MatchString(o.SessionName) {
		return nil, fmt.Errorf("--session-name %q: 2 to 64 of [A-Za-z0-9_+=,.@-]", o.SessionName)
	}
	switch {
	case o.STS != "" && o.RoleARN == "":
		return nil, fmt.Errorf("--sts needs --role-arn")
	case o.RoleARN == "":
	case o.STS == "" || o.STS == "mock":
		s.mode = "mock"
	case o.STS == "aws":
		s.mode = "aws"
		if s.region == "" {
			return nil, fmt.Errorf("--sts aws needs --region (or AWS_REGION)")
		}
	default:
		u, err := url.Parse(o.STS)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("--sts %q: want mock, aws or an https:// endpoint URL", o.STS)
		}
		s.mode, s.endpoint = "url", o.STS
		if s.region == "" {
			s.region = "us-east-1"
		}
	}
	if o.IAMProvider != "" {
		b, err := os.ReadFile(o.IAMProvider)
		if err != nil {
			return nil, fmt.Errorf("--iam-provider: %w", err)
		}
		p, err := readProvider(b)
		if err != nil {
			return nil, fmt.Errorf("--iam-provider %s: %w", o.IAMProvider, err)
		}
		p.ProviderSource = "--iam-provider " + o.IAMProvider
		s.provider = p
	}
	if o.TrustPolicy != "" {
		b, err := os.ReadFile(o.TrustPolicy)
		if err != nil {
			return nil, fmt.Errorf("--trust-policy: %w", err)
		}
		if !json.Valid(b) {
			return nil, fmt.Errorf("--trust-policy %s: not JSON", o.TrustPolicy)
		}
		s.trustPolicy, s.trustSource = b, "--trust-policy "+o.TrustPolicy
	}
	return s, nil
}

// readProvider reads the provider JSON as explain does (iaminput), without
// judging it: IAM-001..003 do that.
func readProvider(b []byte) (*evidence.IAM, error) {
	p, err := iaminput.ReadProvider(b)
	if err != nil {
		return nil, err
	}
	return &evidence.IAM{ProviderURL: p.URL, ClientIDs: p.ClientIDs, Thumbprints: p.Thumbprints, ProviderARN: p.ARN}, nil
}

// federatedARN is, for a run without --role-arn whose provider JSON has no
// ARN (aws iam get-open-id-connect-provider prints none), the provider ARN
// the trust policy's Federated principal names for issuer: the account
// explain takes, so IAM-004 and IAM-007 are judged the same way.
func federatedARN(policy []byte, issuer string) string {
	p, err := trust.Parse(policy)
	if err != nil {
		return ""
	}
	return iaminput.FederatedARN(p, trust.ProviderHost(issuer))
}

// attach records the IAM side on every job and, for the exchange, sets its
// STS job. It starts the mock STS when asked; the returned func stops it.
func (s *stsPlan) attach(jobs []probe.Job, resolve map[string][]string) (func(), error) {
	if s.provider == nil && s.trustPolicy == nil && s.mode == "" {
		return func() {}, nil
	}
	stop := func() {}
	for i := range jobs {
		j := &jobs[i]
		iam := &evidence.IAM{RoleARN: s.roleARN, TrustPolicy: s.trustPolicy, TrustPolicySource: s.trustSource}
		if s.provider != nil {
			p := *s.provider
			iam.ProviderSource, iam.ProviderURL, iam.ClientIDs, iam.Thumbprints, iam.ProviderARN = p.ProviderSource, p.ProviderURL, p.ClientIDs, p.Thumbprints, p.ProviderARN
		} else if s.mode == "mock" {
			iam.ProviderSource = "registered in the mock STS for --issuer, --audience and --thumbprint"
			iam.ProviderURL = trust.ProviderHost(j.Input.Issuer)
			iam.ClientIDs = []string{j.Input.Audience}
			iam.Thumbprints = s.thumbprints
		}
		if iam.ProviderARN == "" && iam.RoleARN == "" && iam.TrustPolicy != nil {
			if arn := federatedARN(iam.TrustPolicy, j.Input.Issuer); arn != "" {
				iam.ProviderARN = arn
				iam.ProviderSource += " (ARN, and so the account, from the trust policy's Federated principal)"
			}
		}
		if iam.TrustPolicy == nil && s.mode == "mock" {
			iam.TrustPolicy = leastPrivilege(iam.RoleARN, j.Input.Issuer, j.Input.Audience, j.Token)
			iam.TrustPolicySource = "generated least-privilege policy (no --trust-policy)"
		}
		j.IAM = iam
		if s.mode == "" {
			continue
		}
		job := &probe.STSJob{Mode: s.mode, Endpoint: s.endpoint, Region: s.region, RoleARN: s.roleARN, SessionName: s.session,
			HTTPClient: boundedClient(s.roots, resolve, s.requestTimeout)}
		if s.mode == "mock" {
			mock, err := s.startMock(iam, resolve)
			var fe faultError
			switch {
			case errors.As(err, &fe):
				stop()
				return nil, err
			case err != nil:
				// What the mock refuses (a policy it cannot evaluate, a
				// provider IAM would not register), STS-001 reports and
				// IAM-001..007 explain.
				job.Refused = err.Error()
			default:
				prev := stop
				stop = func() { prev(); mock.Close() }
				job.Endpoint, job.Region, job.HTTPClient = mock.URL(), "us-east-1", capped(mock.Client(), s.requestTimeout)
			}
		}
		j.STS = job
	}
	return stop, nil
}

// leastPrivilege is the policy printed for the user: Federated = the
// provider, StringEquals on :aud and the token's :sub.
func leastPrivilege(roleARN, issuer, aud, raw string) []byte {
	acct := roleARNPattern.FindStringSubmatch(roleARN)
	sub := subjectOf(raw)
	if sub == "" {
		sub = "system:serviceaccount:<namespace>:<name>"
	}
	return trust.LeastPrivilege(trust.ProviderARN(acct[1], issuer), trust.ProviderHost(issuer), aud, sub)
}

// startMock starts the in-process mock STS with the run's provider and role.
func (s *stsPlan) startMock(iam *evidence.IAM, resolve map[string][]string) (*sts.Server, error) {
	role := iam.RoleARN
	if s.mockRoleARN != "" {
		role = s.mockRoleARN
	}
	m := roleARNPattern.FindStringSubmatch(role)
	mock, err := sts.New(sts.Config{
		Account:   m[1],
		Providers: []stsrules.Provider{{URL: iam.ProviderURL, ClientIDs: iam.ClientIDs, Thumbprints: iam.Thumbprints}},
		Roles:     []sts.Role{{Name: m[2], TrustPolicy: iam.TrustPolicy}},
		Resolve:   resolve,
		Misbehave: s.misbehave,
	})
	if err != nil {
		return nil, fmt.Errorf("the mock STS cannot be configured as given: %w", err)
	}
	if err := mock.Start(); err != nil {
		return nil, faultf("start the mock STS: %w", err)
	}
	return mock, nil
}

// boundedClient is the SDK's HTTP client for real STS or an STS URL: system
// roots plus --ca-file, --resolve pins, no redirects, a whole-request limit
// and a cap on the answer's size (an STS answer is a few KiB).
func boundedClient(roots []*x509.Certificate, resolve map[string][]string, timeout time.Duration) *http.Client {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	for _, r := range roots {
		pool.AddCert(r)
	}
	dialer := &net.Dialer{Timeout: fetch.DefaultDialTimeout}
	tr := &http.Transport{
		TLSClientConfig:       &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   fetch.DefaultTLSHandshakeTimeout,
		ResponseHeaderTimeout: fetch.DefaultResponseHeaderTimeout,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if to := fetch.Pins(resolve, addr); len(to) > 0 {
				addr = to[0]
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}
	return capped(&http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, timeout)
}

// maxSTSAnswer caps what is read of one STS answer.
const maxSTSAnswer = 1 << 20

// capped bounds c: a whole-request limit and at most maxSTSAnswer bytes read
// of any answer.
func capped(c *http.Client, timeout time.Duration) *http.Client {
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Timeout = timeout
	c.Transport = capTransport{base}
	return c
}

// capTransport cuts every response body at maxSTSAnswer bytes.
type capTransport struct{ base http.RoundTripper }

// RoundTrip sends r and caps the answer's body.
func (t capTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = &capBody{ReadCloser: resp.Body, left: maxSTSAnswer}
	return resp, nil
}

// capBody fails a read past its limit instead of handing on more.
type capBody struct {
	io.ReadCloser
	left int64
}

// Read reads at most the bytes left under the cap.
func (b *capBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, fmt.Errorf("the STS answer is larger than %d bytes", maxSTSAnswer)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
