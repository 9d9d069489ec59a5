package cli

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/sts"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/iaminput"
	"github.com/oidc-conformance/oidc-conformance/harness/partition"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// stsPlan is the STS exchange of a run; the IAM side (provider, trust
// policy, role) is each Target's.
type stsPlan struct {
	mode           string // "", "mock", "aws" or "url"
	endpoint       string
	region         string
	session        string
	requestTimeout time.Duration
	// mockRoleARN is the role the mock STS has (default the target's).
	mockRoleARN string
	// misbehave makes the mock STS answer unlike STS (fixture defects).
	misbehave []string
	// mockRoots stand for AWS's public roots in the mock STS
	// (sts.Config.PublicRoots: the demo's CA when its scenario counts it
	// public, as fetch.Options.PublicRoots does for the probe).
	mockRoots []*x509.Certificate
	// endpointSource says where endpoint came from (--sts aws: the SDK's rules).
	endpointSource string
	// duration is --duration-seconds (0: not sent).
	duration int
	// sources says where the role, session name, region and endpoint came from.
	sources map[string]string
}

// stsPlan validates the STS flags; anyRole says whether a target has a role.
func (o *RunOptions) stsPlan(anyRole bool) (*stsPlan, error) {
	s := &stsPlan{session: o.SessionName, region: o.Region, requestTimeout: min(o.Timeout, 15*time.Second)}
	if !regexp.MustCompile(`^[\w+=,.@-]{2,64}$`).MatchString(o.SessionName) {
		return nil, fmt.Errorf("--session-name %q: 2 to 64 of [A-Za-z0-9_+=,.@-]", o.SessionName)
	}
	switch {
	case o.STS != "" && !anyRole:
		return nil, fmt.Errorf("--sts needs --role-arn")
	case !anyRole:
	case o.STS == "" || o.STS == "mock":
		s.mode = "mock"
	case o.STS == "aws":
		s.mode = "aws"
		if s.region == "" {
			return nil, fmt.Errorf("--sts aws needs --region (or AWS_REGION)")
		}
		endpoint, from, err := sdkEndpoint(s.region, o.getenv())
		if err != nil {
			return nil, err
		}
		s.endpoint, s.endpointSource = endpoint, from
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
	if d := o.DurationSeconds; d != 0 && (d < 900 || d > 43200) {
		return nil, fmt.Errorf("--duration-seconds %d: want 900 to 43200 (and at most the role's MaxSessionDuration)", d)
	}
	s.duration = o.DurationSeconds
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

// attach records each target's IAM side on its job and, for a target with a
// role, sets its STS job, whose HTTP client is the run's one bounded client.
// It starts the mock STS when asked; the returned func stops it.
func (s *stsPlan) attach(jobs []probe.Job, targets []Target, clients *clientSet) (func(), error) {
	stop := func() {}
	for i := range jobs {
		j, t := &jobs[i], targets[i]
		mode := s.mode
		if t.RoleARN == "" {
			mode = ""
		}
		if t.Provider == nil && t.TrustPolicy == nil && mode == "" {
			continue
		}
		iam := &evidence.IAM{RoleARN: t.RoleARN, TrustPolicy: t.TrustPolicy, TrustPolicySource: t.TrustSource,
			MaxSessionDuration: maxSessionDuration(t.TrustPolicy)}
		if t.Provider != nil {
			p := *t.Provider
			iam.ProviderSource, iam.ProviderURL, iam.ClientIDs, iam.Thumbprints, iam.ProviderARN = p.ProviderSource, p.ProviderURL, p.ClientIDs, p.Thumbprints, p.ProviderARN
		} else if mode == "mock" {
			iam.ProviderSource = "registered in the mock STS for --issuer, --audience and --thumbprint"
			iam.ProviderURL = trust.ProviderHost(j.Input.Issuer)
			iam.ClientIDs = []string{j.Input.Audience}
			iam.Thumbprints = t.Thumbprints
		}
		if iam.ProviderARN == "" && iam.RoleARN == "" && iam.TrustPolicy != nil {
			if arn := federatedARN(iam.TrustPolicy, j.Input.Issuer); arn != "" {
				iam.ProviderARN = arn
				iam.ProviderSource += " (ARN, and so the account, from the trust policy's Federated principal)"
			}
		}
		if iam.TrustPolicy == nil && mode == "mock" {
			iam.TrustPolicy = leastPrivilege(iam.RoleARN, j.Input.Issuer, j.Input.Audience, j.Token)
			iam.TrustPolicySource = "generated least-privilege policy (no --trust-policy)"
		}
		j.IAM = iam
		if mode == "" {
			continue
		}
		job := &probe.STSJob{Mode: mode, Endpoint: s.endpoint, Region: s.region, RoleARN: t.RoleARN, SessionName: s.session,
			DurationSeconds: s.duration, Sources: s.jobSources(mode),
			HTTPClient: clients.forTarget(t).HTTPClient(s.requestTimeout, maxSTSAnswer)}
		if mode == "mock" {
			mock, err := s.startMock(iam, clients.resolve)
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
				job.Endpoint, job.Region, job.HTTPClient = mock.URL(), "us-east-1", fetch.Capped(mock.Client(), s.requestTimeout, maxSTSAnswer)
			}
		}
		j.STS = job
	}
	return stop, nil
}

// leastPrivilege is the policy printed for the user: Federated = the
// provider, StringEquals on :aud and the token's :sub.
func leastPrivilege(roleARN, issuer, aud, raw string) []byte {
	role, _ := partition.ParseRole(roleARN)
	sub := subjectOf(raw)
	if sub == "" {
		sub = "system:serviceaccount:<namespace>:<name>"
	}
	return trust.LeastPrivilege(trust.ProviderARNIn(role.Partition.ID, role.Account, issuer), trust.ProviderHost(issuer), aud, sub)
}

// startMock starts the in-process mock STS with the run's provider and role.
func (s *stsPlan) startMock(iam *evidence.IAM, resolve map[string][]string) (*sts.Server, error) {
	role := iam.RoleARN
	if s.mockRoleARN != "" {
		role = s.mockRoleARN
	}
	r, _ := partition.ParseRole(role)
	mock, err := sts.New(sts.Config{
		Account:     r.Account,
		Partition:   r.Partition.ID,
		Providers:   []stsrules.Provider{{URL: iam.ProviderURL, ClientIDs: iam.ClientIDs, Thumbprints: iam.Thumbprints}},
		Roles:       []sts.Role{{Name: r.Name, TrustPolicy: iam.TrustPolicy, MaxSessionDuration: time.Duration(iam.MaxSessionDuration) * time.Second}},
		Resolve:     resolve,
		Misbehave:   s.misbehave,
		PublicRoots: s.mockRoots,
	})
	if err != nil {
		return nil, fmt.Errorf("the mock STS cannot be configured as given: %w", err)
	}
	if err := mock.Start(); err != nil {
		return nil, faultf("start the mock STS: %w", err)
	}
	return mock, nil
}

// maxSTSAnswer caps what is read of one STS answer (a few KiB).
const maxSTSAnswer = 1 << 20

// jobSources is where an exchange's parameters came from, for the report.
func (s *stsPlan) jobSources(mode string) map[string]string {
	out := map[string]string{}
	for k, v := range s.sources {
		out[k] = v
	}
	switch {
	case s.endpointSource != "":
		out["endpoint"] = s.endpointSource
	case mode == "url":
		out["endpoint"] = "--sts"
	case mode == "mock":
		out["endpoint"] = "the in-process mock STS"
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
