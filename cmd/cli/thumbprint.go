package cli

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/suites/tls"
)

// NewCmdThumbprint builds `thumbprint URL`: TLS-004 on its own.
func NewCmdThumbprint(streams IO) *cobra.Command {
	var (
		caFile  string
		resolve []string
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "thumbprint URL",
		Short: "Print the IAM thumbprint of an issuer's jwks_uri host (or of https://host[:port])",
		Long: `Print the IAM thumbprint (TLS-004): the SHA-1 of the last certificate the jwks_uri host
sends. URL is an issuer (its discovery document names the jwks_uri) or a bare
https://host[:port], whose own certificate chain is used when it serves no discovery document.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := url.Parse(args[0])
			if err != nil || u.Scheme != "https" || u.Host == "" {
				return fmt.Errorf("URL %q: want https://host[:port][/path]", args[0])
			}
			if timeout <= 0 {
				return fmt.Errorf("--timeout %s: must be positive", timeout)
			}
			t := Target{CAFile: caFile}
			if t.Resolve, err = parseResolve(resolve); err != nil {
				return err
			}
			if t.Roots, err = readCAFile("--ca-file", caFile); err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), timeout)
			defer cancel()
			cs, err := newClientSet([]Target{t}, timeout)
			if err != nil {
				return err
			}
			client := cs.forTarget(t)
			defer cs.closeIdle()
			return thumbprint(ctx, streams, client, args[0])
		},
	}
	cmd.Flags().StringVar(&caFile, "ca-file", "", "PEM file of extra CA certificates to trust")
	cmd.Flags().StringArrayVar(&resolve, "resolve", nil, "pin HOST:PORT to ADDR (repeatable)")
	cmd.Flags().DurationVar(&timeout, "timeout", 30*time.Second, "overall time limit")
	inputFiles(cmd.Flags(), "ca-file")
	return cmd
}

type getter interface {
	Get(ctx context.Context, rawURL, accept string) *evidence.Exchange
}

func thumbprint(ctx context.Context, streams IO, c getter, target string) error {
	ex := c.Get(ctx, probe.DiscoveryURL(target), "application/json")
	host := ex
	if jwks, reason := probe.JWKSURI(ex); reason == "" {
		host = c.Get(ctx, jwks, "application/json")
	}
	if len(host.Hops) == 0 || host.Hops[0].TLS == nil {
		// No answer, so no chain was recorded; the error says whether the
		// handshake itself failed or what failed after it.
		fmt.Fprintf(streams.Err, "oidc-conformance: no certificate chain recorded from %s: %s\n", host.URL, oneLine(host.Err))
		return errChecksFailed
	}
	t := host.Hops[0].TLS
	fmt.Fprintln(streams.Out, tls.Thumbprint(t.Chain))
	trust := "not verified: " + t.VerifyError
	if t.Verified {
		trust = "verified"
	}
	fmt.Fprintf(streams.Err, "host %s, %d certificates sent, chain %s\n", t.Host, len(t.Chain), trust)
	return nil
}
