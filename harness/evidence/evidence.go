// Package evidence is the plain, JSON-serialisable record of what the probe
// observed for each target. Suites judge evidence and do no I/O of their own, so
// a run judged from saved evidence gives the same verdicts with no network.
package evidence

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// FormatVersion is the version of the evidence file format.
const FormatVersion = 1

// Run is everything observed in one run, one entry per target.
type Run struct {
	Version int       `json:"version"`
	Tool    string    `json:"tool"`
	Targets []*Target `json:"targets"`
}

// Target is one issuer: what the user asked for (Input) and what was observed.
type Target struct {
	Input Input `json:"input"`
	// ProbedAt is when probing started; judgements use it as "now" so a saved
	// run is judged the same later.
	ProbedAt time.Time `json:"probed_at"`
	// Discovery is the fetch of <issuer>/.well-known/openid-configuration.
	Discovery *Exchange `json:"discovery,omitempty"`
	// JWKS is the fetch of the discovery document's jwks_uri; nil when it was
	// not fetched (no document, or jwks_uri absent or not https).
	JWKS *Exchange `json:"jwks,omitempty"`
	// JWKSSkipReason says why JWKS is nil.
	JWKSSkipReason string `json:"jwks_skip_reason,omitempty"`
	// JWKSTLS12 is one extra handshake with the jwks_uri host capped at TLS
	// 1.2: a host that refuses it makes IAM fall back to the thumbprints.
	JWKSTLS12 *Handshake `json:"jwks_tls12,omitempty"`
	// Repeats are further fetches of the jwks_uri, made at the same time as
	// the first, each on its own connection (ROT-004).
	Repeats []*Exchange `json:"jwks_repeats,omitempty"`
	// Replicas are fetches of the jwks_uri from each address its host
	// resolves to (ROT-004).
	Replicas []Replica `json:"jwks_replicas,omitempty"`
	// Polls are the JWKS fetches of a rotation watch (--watch), in time order.
	Polls []Poll `json:"polls,omitempty"`
	// Baseline is a JWKS saved by an earlier run (--jwks-baseline).
	Baseline *Baseline `json:"baseline,omitempty"`
	// Token is the web identity token judged by the claims suite, if one was given.
	Token *Token `json:"token,omitempty"`
	// IAM is the issuer's IAM registration and role, when given.
	IAM *IAM `json:"iam,omitempty"`
	// STS is the end-to-end AssumeRoleWithWebIdentity exchange, when run.
	STS *STS `json:"sts,omitempty"`
	// Answers are what relying parties' own verifiers answered in the probe
	// phase (kube-apiserver's JWT authenticator), by relying party name.
	Answers map[string]json.RawMessage `json:"relying_party_answers,omitempty"`
	// Pod is what the run's environment said of the pod it runs in, when it
	// names any of the SDK's web identity or container credential variables.
	Pod *PodEnv `json:"pod,omitempty"`
}

// PodEnv is the AWS SDK's credential environment of a pod, as the run found
// it: file paths and ARNs, never a token.
type PodEnv struct {
	// WebIdentityTokenFile and RoleARN are IRSA's AWS_WEB_IDENTITY_TOKEN_FILE
	// and AWS_ROLE_ARN.
	WebIdentityTokenFile string `json:"aws_web_identity_token_file,omitempty"`
	RoleARN              string `json:"aws_role_arn,omitempty"`
	// ContainerCredentialsURI and ContainerAuthTokenFile are EKS Pod
	// Identity's AWS_CONTAINER_CREDENTIALS_FULL_URI and
	// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
	ContainerCredentialsURI string `json:"aws_container_credentials_full_uri,omitempty"`
	ContainerAuthTokenFile  string `json:"aws_container_authorization_token_file,omitempty"`
}

// Input is the validated description of a target.
type Input struct {
	// Name names the target in reports (a targets file's name; default the issuer).
	Name string `json:"name,omitempty"`
	// Index is the target's position in the run's full list of targets (the
	// targets file's order), so the reports of shards merge back in order.
	Index       int      `json:"index,omitempty"`
	Issuer      string   `json:"issuer"`
	Profile     string   `json:"profile"`
	Thumbprints []string `json:"thumbprints,omitempty"`
	// CAFile is the extra CA bundle trusted for TLS-001 (path as given).
	CAFile string `json:"ca_file,omitempty"`
	// Audience is the audience the token must carry (default sts.amazonaws.com).
	Audience string `json:"audience,omitempty"`
	// MaxTokenLifetime is the longest a token may live (default 24h, EKS's):
	// TOK-010 and ROT-002 use it.
	MaxTokenLifetime Duration `json:"max_token_lifetime,omitempty"`
	// Watch is the rotation watch asked for (--watch), zero for none: the
	// rotation checks then say what a watch that got no key set saw.
	Watch Duration `json:"watch,omitempty"`
	// Profiles are the profiles of every relying party asked for: a check
	// of any of them runs (Profile is the one the shared checks are judged
	// under). Empty: Profile alone.
	Profiles []string `json:"profiles,omitempty"`
	// RelyingParties are the relying parties asked for (--for) with their
	// inputs. Empty: aws-sts alone, with none.
	RelyingParties []RelyingParty `json:"relying_parties,omitempty"`
}

// DisplayName is the target's name, or its issuer when it has none.
func (in Input) DisplayName() string {
	if in.Name != "" {
		return in.Name
	}
	return in.Issuer
}

// Exchange is one logical GET, with every redirect hop that led to the answer.
type Exchange struct {
	URL string `json:"url"`
	// Hops lists every response, redirects included; the last is the answer.
	Hops []Hop `json:"hops,omitempty"`
	// Err is set when no final answer was had (connection failure, timeout,
	// too many redirects, body over the cap).
	Err string `json:"error,omitempty"`
	// Failure is what kind of failure Err is: consumers branch on it, never
	// on Err's text. Empty when Err is.
	Failure FailureKind `json:"failure,omitempty"`
	// Elapsed is the time from the first request to the end of the last body.
	Elapsed Duration `json:"elapsed"`
}

// FailureKind is the kind of a failed fetch.
type FailureKind string

// Failure kinds, as harness/fetch classifies them.
const (
	// FailTimeout: no complete answer within a deadline (dial, handshake,
	// headers, body, or the whole request).
	FailTimeout FailureKind = "timeout"
	// FailRefused: the connection was refused or reset.
	FailRefused FailureKind = "refused"
	// FailDNS: the host name did not resolve.
	FailDNS FailureKind = "dns"
	// FailTLS: the TLS handshake failed.
	FailTLS FailureKind = "tls"
	// FailTooLarge: the body is over the size cap.
	FailTooLarge FailureKind = "too-large"
	// FailRedirect: too many redirects, or a Location that does not parse.
	FailRedirect FailureKind = "redirect"
	// FailDowngrade: a redirect from https to another scheme, refused
	// (fetch.Downgrade): the hop that asked for it is recorded, not followed.
	FailDowngrade FailureKind = "downgrade"
	// FailStatus: the answer is an HTTP error status (set by consumers
	// that judge a status as a failure; fetch records the answer).
	FailStatus FailureKind = "status"
	// FailRequest: the request could not be made (a bad URL).
	FailRequest FailureKind = "request"
	// FailNetwork: any other transport failure (a body cut short, ...).
	FailNetwork FailureKind = "network"
)

// Hop is one HTTP response.
type Hop struct {
	URL    string              `json:"url"`
	Status int                 `json:"status"`
	Header map[string][]string `json:"header,omitempty"`
	// Body is the response body, up to the cap.
	Body []byte `json:"body,omitempty"`
	// Truncated is true when the body was longer than the cap.
	Truncated bool `json:"truncated,omitempty"`
	// TLS is the handshake of the connection that served this hop (nil for http).
	TLS *TLS `json:"tls,omitempty"`
	// Err is set when this hop failed after its headers arrived (body read).
	Err string `json:"error,omitempty"`
}

// TLS is what one handshake showed.
type TLS struct {
	// Host is the host:port connected to.
	Host string `json:"host"`
	// ServerName is the name sent in SNI and verified.
	ServerName string `json:"server_name"`
	// Version is the negotiated version, e.g. "TLS 1.3".
	Version string `json:"version"`
	// Chain holds the DER certificates in the order the server sent them.
	Chain [][]byte `json:"chain"`
	// Verified is true when the chain verified, for ServerName, against the
	// system roots plus the --ca-file roots, at ProbedAt (or within the
	// leaf's validity when only the dates are wrong: TLS-006 and TLS-003 judge those).
	Verified bool `json:"verified"`
	// VerifyError is the verification error when Verified is false.
	VerifyError string `json:"verify_error,omitempty"`
	// PubliclyTrusted is true when the chain verifies against the public
	// roots alone: this machine's system roots (AWS's own root library is
	// not published), or the roots a test names public (fetch.Options.PublicRoots).
	PubliclyTrusted bool `json:"publicly_trusted"`
}

// Handshake is a TLS handshake made only to learn which versions a host
// speaks (no request is sent).
type Handshake struct {
	// Host is the host:port connected to.
	Host string `json:"host"`
	// MaxVersion is the highest version offered, e.g. "TLS 1.2".
	MaxVersion string `json:"max_version"`
	// Accepted is true when the handshake completed.
	Accepted bool `json:"accepted"`
	// Version is the version negotiated when Accepted.
	Version string `json:"version,omitempty"`
	// Error says why the handshake failed.
	Error string `json:"error,omitempty"`
}

// Final returns the last hop, or nil.
func (e *Exchange) Final() *Hop {
	if e == nil || len(e.Hops) == 0 {
		return nil
	}
	return &e.Hops[len(e.Hops)-1]
}

// Duration is a time.Duration that reads and writes as a Go duration string.
type Duration time.Duration

// MarshalJSON writes the duration as "1.5s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	*d = Duration(v)
	return nil
}

// Write encodes the run as indented JSON.
func (r *Run) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write evidence: %w", err)
	}
	return nil
}

// Read decodes a run written by Write.
func Read(r io.Reader) (*Run, error) {
	var run Run
	dec := json.NewDecoder(r)
	if err := dec.Decode(&run); err != nil {
		return nil, fmt.Errorf("read evidence: %w", err)
	}
	if run.Version != FormatVersion {
		return nil, fmt.Errorf("read evidence: version %d, want %d", run.Version, FormatVersion)
	}
	if len(run.Targets) == 0 {
		return nil, fmt.Errorf("read evidence: no target")
	}
	for i, t := range run.Targets {
		switch {
		case t == nil || t.Input.Issuer == "":
			return nil, fmt.Errorf("read evidence: target %d has no issuer", i)
		case t.Discovery == nil:
			return nil, fmt.Errorf("read evidence: target %d (%s) has no discovery fetch", i, t.Input.Issuer)
		case t.ProbedAt.IsZero():
			return nil, fmt.Errorf("read evidence: target %d (%s) has no probe time", i, t.Input.Issuer)
		}
		if err := restoreBodies(t.Polls); err != nil {
			return nil, fmt.Errorf("read evidence: target %d (%s): %w", i, t.Input.Issuer, err)
		}
	}
	return &run, nil
}
