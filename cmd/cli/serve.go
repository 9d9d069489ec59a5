package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
)

// NewCmdServe builds `serve`, the fixtures as standalone servers.
func NewCmdServe(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run a fixture server: an issuer that can misbehave on purpose, or the mock STS",
	}
	cmd.AddCommand(NewCmdServeIssuer(streams, nil))
	cmd.AddCommand(NewCmdServeSTS(streams, nil))
	return cmd
}

// ServeIssuerOptions are the flags of `serve issuer`.
type ServeIssuerOptions struct {
	IO          IO
	Profile     string
	Defects     []string
	Listen      string
	CAOut       string
	CABundle    string
	Hostname    string
	ListDefects bool
	JSON        bool

	// TokenOut receives a token minted by the issuer (mode 0600), shaped by
	// TokenSub, TokenAudience and TokenTTL.
	TokenOut      string
	TokenSub      string
	TokenAudience string
	TokenTTL      time.Duration

	// RotateEvery and Overlap rotate the signing key (see issuer.Rotation);
	// zero RotateEvery never rotates.
	RotateEvery, Overlap time.Duration
}

// NewCmdServeIssuer builds `serve issuer`.
func NewCmdServeIssuer(streams IO, runF func(context.Context, *ServeIssuerOptions) error) *cobra.Command {
	o := &ServeIssuerOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "issuer [--profile eks|kubernetes|s3|github] [--defect NAME]...",
		Short: "Serve the fixture issuer until interrupted; the first line of output is its issuer URL",
		Long: `Serve the fixture issuer over HTTPS until interrupted. The first line of stdout is the
issuer URL; the second is the --resolve pin that reaches it (the URL names --hostname,
not the listen address). --ca-out writes the test CA that signed its certificate.
--token-out writes a token the issuer minted (an EKS projected service-account token,
broken as the token defects say) for "run --token-file". --rotate-every rehearses a key
rotation: a new signing key every D, each old key kept published --overlap longer.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			if o.ListDefects {
				return listDefects(o.IO, o.JSON)
			}
			return serveIssuer(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Profile, "profile", "eks", "issuer shape: eks, kubernetes, s3, github (GitHub Actions' issuer and tokens) or idp (an identity provider's ID tokens for a user)")
	f.StringArrayVar(&o.Defects, "defect", nil, "misbehave on purpose (repeatable; see --list-defects)")
	f.StringVar(&o.Listen, "listen", "127.0.0.1:0", "address to listen on")
	f.StringVar(&o.CAOut, "ca-out", "", "write the PEM of the CA that signed the server certificate here")
	f.StringVar(&o.CABundle, "ca-bundle", "", "issue the server certificate from this test CA (root and intermediate certificates and keys, PEM) instead of a fresh one")
	f.StringVar(&o.Hostname, "hostname", "", "host name in the issuer URL and the certificate (default issuer.test; github: token.actions.githubusercontent.com)")
	f.BoolVar(&o.ListDefects, "list-defects", false, "list every defect and the check IDs it must fail, then exit")
	f.BoolVar(&o.JSON, "json", false, "with --list-defects: print JSON")
	f.StringVar(&o.TokenOut, "token-out", "", "write a token minted by the issuer here (mode 0600), for run --token-file")
	f.StringVar(&o.TokenSub, "sub", "", "with --token-out: the token's sub (default system:serviceaccount:default:my-sa)")
	f.StringVar(&o.TokenAudience, "aud", defaultTokenAudience, "with --token-out: the token's aud; gcp: the fixture's GCP provider (//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/fixture-pool/providers/fixture-issuer), azure: api://AzureADTokenExchange")
	f.DurationVar(&o.TokenTTL, "ttl", defaultTokenTTL, "with --token-out: the token's lifetime, exp - iat")
	f.DurationVar(&o.RotateEvery, "rotate-every", 0, "rotate the signing key this often (0: never); try run --watch against it")
	f.DurationVar(&o.Overlap, "overlap", 0, "with --rotate-every: how long an old key stays published after its successor signs")
	inputFiles(f, "ca-bundle")
	return cmd
}

func serveIssuer(ctx context.Context, o *ServeIssuerOptions) error {
	if _, _, err := net.SplitHostPort(o.Listen); err != nil {
		return fmt.Errorf("--listen %q: %w", o.Listen, err)
	}
	if o.CAOut != "" {
		if err := checkWritable("--ca-out", o.CAOut); err != nil {
			return err
		}
	}
	if err := o.checkToken(); err != nil {
		return err
	}
	var ca *pki.CA
	if o.CABundle != "" {
		b, err := infile.Read("--ca-bundle", o.CABundle, infile.PEM)
		if err != nil {
			return err
		}
		if ca, err = pki.ParseCA(b); err != nil {
			return fmt.Errorf("--ca-bundle %s: %w", o.CABundle, err)
		}
	}
	rotation, err := o.rotation()
	if err != nil {
		return err
	}
	srv, err := issuer.New(issuer.Config{Profile: o.Profile, Defects: o.Defects, Hostname: o.Hostname, Listen: o.Listen, CA: ca, Rotation: rotation})
	if err != nil {
		return fmt.Errorf("serve issuer: %w", err)
	}
	raw, err := o.mintToken(srv)
	if err != nil {
		return err
	}
	if err := srv.Start(); err != nil {
		return fmt.Errorf("serve issuer: %w", err)
	}
	defer srv.Close()
	if o.CAOut != "" {
		if err := os.WriteFile(o.CAOut, srv.CA().RootPEM(), 0o644); err != nil {
			return faultf("--ca-out: %w", err)
		}
	}
	if err := writeToken(o.TokenOut, raw); err != nil {
		return faultf("--token-out: %w", err)
	}
	fmt.Fprintln(o.IO.Out, srv.IssuerURL())
	for hostport, addrs := range srv.ResolveAll() {
		fmt.Fprintf(o.IO.Out, "--resolve %s:%s\n", hostport, dialableAll(addrs))
	}
	<-ctx.Done()
	return nil
}

// defectJSON is one row of `serve issuer --list-defects --json`.
type defectJSON struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Fails       []string `json:"fails"`
	// PartyFails are the relying parties' own checks it fails (demo --for all).
	PartyFails []string `json:"party_fails,omitempty"`
	Profile    string   `json:"profile,omitempty"`
}

func listDefects(streams IO, asJSON bool) error {
	ds := issuer.Defects()
	if asJSON {
		rows := make([]defectJSON, 0, len(ds))
		for _, d := range ds {
			rows = append(rows, defectJSON{d.Name, d.Description, d.Fails, d.PartyFails, d.Profile})
		}
		enc := json.NewEncoder(streams.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DEFECT\tFAILS\tDESCRIPTION")
	for _, d := range ds {
		fails := strings.Join(d.Fails, ",")
		if len(d.PartyFails) > 0 {
			fails = strings.TrimPrefix(fails+",--for all:"+strings.Join(d.PartyFails, ","), ",")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Name, fails, d.Description)
	}
	return tw.Flush()
}

// dialable replaces an unspecified listen host (0.0.0.0, ::) with loopback.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}
