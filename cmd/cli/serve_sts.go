package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/fixtures/sts"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
)

// ServeSTSOptions are the flags of `serve sts`.
type ServeSTSOptions struct {
	IO IO

	// Config is the mock's JSON configuration (fixtures/sts's File).
	Config string
	// Listen overrides the config's listen address when ListenSet.
	Listen    string
	ListenSet bool
	// CAFiles are PEM files of CAs trusted to verify the issuers' TLS,
	// besides the config's ca_files: private CAs, as run's --ca-file, so a
	// chain only they verify needs a registered thumbprint.
	CAFiles []string
	// PublicCAFiles are PEM files of CAs that stand for AWS's library of
	// trusted root CAs, besides the config's public_ca_files: a chain they
	// verify needs no thumbprint.
	PublicCAFiles []string
	// Resolve pins issuer hosts (HOST:PORT:ADDR), over the config's resolve.
	Resolve []string
	// CAOut receives the PEM of the CA that signed the mock's certificate.
	CAOut string
}

// NewCmdServeSTS builds `serve sts`. runF replaces the behaviour in flag-parsing tests.
func NewCmdServeSTS(streams IO, runF func(context.Context, *ServeSTSOptions) error) *cobra.Command {
	o := &ServeSTSOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "sts --config FILE [--listen 127.0.0.1:0] [--ca-file PEM]... [--resolve HOST:PORT:ADDR]... [--ca-out FILE]",
		Short: "Serve the mock STS (AssumeRoleWithWebIdentity, GetCallerIdentity) until interrupted",
		Long: `Serve the mock STS over HTTPS until interrupted: AssumeRoleWithWebIdentity and
GetCallerIdentity with STS's protocol, validation, messages and error codes, for the
IAM OIDC providers and roles of --config. It fetches each issuer's discovery document
and JWKS as STS does (HTTPS, no redirects, 5 s, thumbprints when the chain is not
trusted) and issues credentials that GetCallerIdentity accepts.

The first line of stdout is the endpoint URL (for AWS_ENDPOINT_URL_STS or an SDK's
BaseEndpoint), then the ARN of each role, one a line. --ca-out writes the CA that
signed the mock's certificate (for AWS_CA_BUNDLE). Each request is logged as one
line on stderr: time, request ID, action, code (OK on success), role, subject,
detail (why: the failing trust-policy condition, the key retrieval failure). No
token, secret key or session token is ever logged.

--config is JSON:

  {
    "account": "123456789012",
    "listen": "127.0.0.1:8443",
    "providers": [{"url": "issuer.test/id/X", "client_ids": ["sts.amazonaws.com"],
                   "thumbprints": ["<40 hex>"]}],
    "roles": [{"name": "app", "max_session_duration": 3600,
               "trust_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                 "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/issuer.test/id/X"},
                 "Action": "sts:AssumeRoleWithWebIdentity",
                 "Condition": {"StringEquals": {
                   "issuer.test/id/X:aud": "sts.amazonaws.com",
                   "issuer.test/id/X:sub": "system:serviceaccount:default:my-sa"}}}]}}],
    "ca_files": ["issuer-ca.pem"],
    "public_ca_files": [],
    "resolve": {"issuer.test:443": ["127.0.0.1:9443"]},
    "key_fetch_timeout": "5s"
  }

Only "providers" and "roles" matter for a real issuer; a trust_policy may also be the
output of "aws iam get-role" or a JSON string. ca_files are private CAs trusted to
verify the issuers' TLS, as run's --ca-file: AWS's library of trusted root CAs never holds
a private CA, so a chain only they verify needs a registered thumbprint. public_ca_files
stand for that library instead of this machine's roots: a chain they verify needs none
(unless the host refuses TLS 1.2). Both are relative to the config file; --ca-file,
--public-ca-file and --resolve add to ca_files, public_ca_files and resolve; --listen
overrides listen.`,
		Example: `  oidc-conformance serve sts --config sts.json --ca-out /tmp/sts-ca.pem > /tmp/sts.txt &
  export AWS_ENDPOINT_URL_STS="$(sed -n 1p /tmp/sts.txt)" AWS_CA_BUNDLE=/tmp/sts-ca.pem`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.ListenSet = cmd.Flags().Changed("listen")
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return serveSTS(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Config, "config", "", "the mock's configuration: providers, roles (JSON, see above)")
	f.StringVar(&o.Listen, "listen", sts.DefaultListen, "address to listen on (overrides the config's listen)")
	f.StringArrayVar(&o.CAFiles, "ca-file", nil, "PEM file of private CAs to trust for the issuers' TLS, as run's --ca-file: a chain only they verify needs a thumbprint (repeatable)")
	f.StringArrayVar(&o.PublicCAFiles, "public-ca-file", nil, "PEM file of CAs to count as AWS's public roots: a chain they verify needs no thumbprint (repeatable)")
	f.StringArrayVar(&o.Resolve, "resolve", nil, "pin an issuer's HOST:PORT to ADDR, as curl (repeatable)")
	f.StringVar(&o.CAOut, "ca-out", "", "write the PEM of the CA that signed the mock's certificate here (for AWS_CA_BUNDLE)")
	_ = cmd.MarkFlagRequired("config")
	inputFiles(f, "config", "ca-file", "public-ca-file")
	return cmd
}

// stsConfig reads --config and applies the flags over it.
func (o *ServeSTSOptions) stsConfig() (sts.Config, error) {
	data, err := infile.Read("--config", o.Config, infile.JSON)
	if err != nil {
		return sts.Config{}, err
	}
	cfg, err := sts.ParseConfig(data, filepath.Dir(o.Config))
	if err != nil {
		return sts.Config{}, fmt.Errorf("--config %s: %w", o.Config, err)
	}
	if o.ListenSet || cfg.Listen == "" {
		cfg.Listen = o.Listen
	}
	if _, _, err := net.SplitHostPort(cfg.Listen); err != nil {
		return sts.Config{}, fmt.Errorf("--listen %q: %w", cfg.Listen, err)
	}
	for _, path := range o.CAFiles {
		certs, err := readCAFile("--ca-file", path)
		if err != nil {
			return sts.Config{}, err
		}
		cfg.ExtraRoots = append(cfg.ExtraRoots, certs...)
	}
	for _, path := range o.PublicCAFiles {
		certs, err := readCAFile("--public-ca-file", path)
		if err != nil {
			return sts.Config{}, err
		}
		cfg.PublicRoots = append(cfg.PublicRoots, certs...)
	}
	pins, err := parseResolve(o.Resolve)
	if err != nil {
		return sts.Config{}, err
	}
	if len(pins) > 0 {
		merged := make(map[string][]string, len(cfg.Resolve)+len(pins))
		for k, v := range cfg.Resolve {
			merged[k] = v
		}
		for k, v := range pins {
			merged[k] = v
		}
		cfg.Resolve = merged
	}
	if err := checkWritable("--ca-out", o.CAOut); err != nil {
		return sts.Config{}, err
	}
	return cfg, nil
}

// serveSTS runs the mock until ctx ends.
func serveSTS(ctx context.Context, o *ServeSTSOptions) error {
	cfg, err := o.stsConfig()
	if err != nil {
		return err
	}
	cfg.Log = newSTSLogger(o.IO.Err).log
	srv, err := sts.New(cfg)
	if err != nil {
		return fmt.Errorf("serve sts: --config %s: %w", o.Config, err)
	}
	if err := srv.Start(); err != nil {
		return fmt.Errorf("serve sts: %w", err)
	}
	defer srv.Close()
	if o.CAOut != "" {
		if err := os.WriteFile(o.CAOut, srv.CA().RootPEM(), 0o644); err != nil {
			return faultf("--ca-out: %w", err)
		}
	}
	fmt.Fprintln(o.IO.Out, srv.URL())
	for _, r := range cfg.Roles {
		fmt.Fprintln(o.IO.Out, srv.RoleARN(r.Name))
	}
	<-ctx.Done()
	return nil
}

// stsLogger writes the mock's log entries, one line each.
type stsLogger struct {
	mu sync.Mutex
	w  io.Writer
}

func newSTSLogger(w io.Writer) *stsLogger { return &stsLogger{w: w} }

// log writes one entry: time, request ID, action, code (OK on success),
// then role, subject, caller, message, detail and each warning (an
// unconfirmed reading the model took to accept) when present. Values that
// came from the request are quoted when they hold anything unusual, so one
// request is always one line. Entries carry no token or secret.
func (l *stsLogger) log(e sts.Entry) {
	code := e.Code
	if code == "" {
		code = "OK"
	}
	action := e.Action
	if action == "" {
		action = "-"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %s", e.Time.UTC().Format("2006-01-02T15:04:05Z"), e.RequestID, logValue(action), logValue(code))
	for _, kv := range [][2]string{{"role", e.RoleARN}, {"subject", e.Subject}, {"caller", e.Caller}, {"message", e.Message}, {"detail", e.Detail}} {
		if kv[1] != "" && !(kv[0] == "message" && e.Code == "") {
			fmt.Fprintf(&b, " %s=%s", kv[0], logValue(kv[1]))
		}
	}
	for _, c := range e.Caveats {
		fmt.Fprintf(&b, " warning=%s", logValue(c.Check+": "+c.Text))
	}
	b.WriteByte('\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, b.String())
}

// plainLogValue is a value logged as it is: printable ASCII, no space or quote.
var plainLogValue = regexp.MustCompile(`^[\x21\x23-\x7e]+$`)

// logValue is v, quoted unless it is plain.
func logValue(v string) string {
	if plainLogValue.MatchString(v) {
		return v
	}
	return strconv.Quote(v)
}
