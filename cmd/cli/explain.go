package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/suites"
)

// ExplainOptions are the flags of `explain`.
type ExplainOptions struct {
	IO IO

	// TokenFile holds the web identity token ("-": standard input).
	TokenFile string
	// TrustPolicy is the role's trust policy, in any form trust.Parse reads.
	TrustPolicy string
	// IAMProvider is the JSON of `aws iam get-open-id-connect-provider`;
	// "" synthesizes the provider from the token's iss and aud.
	IAMProvider string
	// JWKS is the issuer's key set; "" leaves the signature unchecked.
	JWKS string
	// RoleARN is the role asked for; it also gives the account.
	RoleARN string
	// SessionName is the RoleSessionName of the AssumedRoleUser ARN.
	SessionName string
	// Now is the clock, RFC 3339; "" is the current time.
	Now string
	// For names the relying parties to judge for (default aws-sts alone,
	// which prints STS's answer only).
	For     string
	parties partyFlags
}

// Defaults of explain's role and session when none is given.
const (
	explainDefaultRole    = "my-role"
	explainDefaultSession = "oidc-conformance"
)

// NewCmdExplain builds `explain`. runF replaces the behaviour in flag-parsing tests.
func NewCmdExplain(streams IO, runF func(context.Context, *ExplainOptions) error) *cobra.Command {
	o := &ExplainOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "explain --token FILE --trust-policy FILE [--iam-provider FILE] [--jwks FILE] [--role-arn ARN] [--now RFC3339]",
		Short: "Say what STS would answer to AssumeRoleWithWebIdentity for a token, and why (offline)",
		Long: `Say, without any network, what STS would answer to AssumeRoleWithWebIdentity with this
token for a role with this trust policy: success (the AssumedRoleUser ARN,
SubjectFromWebIdentityToken, Audience) or the error code, HTTP status and message STS
sends, and why: the first rule the token breaks, or the trust-policy condition that
fails with the value it saw. When the trust policy refuses, it also prints the
least-privilege trust policy for this token, ready to paste.

The token's header and claims are shown; the token itself and its signature never are.

  --iam-provider  the JSON of "aws iam get-open-id-connect-provider" (or {"url", "client_ids"});
                  without it the provider is synthesized from the token: URL = iss, client
                  IDs = the token's aud (so "Incorrect token audience" cannot show).
  --jwks          the issuer's JWKS (or a "run --save-jwks" file); without it the signature
                  and the kid are not checked, and the output says so.
  --role-arn      the role; its account is the provider's. Without it the account comes from
                  an ARN in the --iam-provider JSON (Arn / OpenIDConnectProviderArn), else from
                  the trust policy's Federated principal for this issuer, else 123456789012.

IDPCommunicationError (the identity provider answered with an error status) cannot arise
offline: explain fetches nothing. "run --role-arn" or "serve sts" shows it.

Exit codes: 0 STS would succeed, 1 STS would refuse, 2 bad input (a file unreadable or
malformed, a bad flag).`,
		Example: `  oidc-conformance explain --token token.jwt --trust-policy trust.json \
      --iam-provider provider.json --jwks keys.json \
      --role-arn arn:aws:iam::111122223333:role/my-app`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runExplain(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.TokenFile, "token", "", "file holding the web identity token (\"-\": standard input)")
	f.StringVar(&o.TrustPolicy, "trust-policy", "", "the role's trust policy (a policy document, or the output of aws iam get-role)")
	f.StringVar(&o.IAMProvider, "iam-provider", "", "the IAM OIDC provider, the output of aws iam get-open-id-connect-provider (default: synthesized from the token)")
	f.StringVar(&o.JWKS, "jwks", "", "the issuer's JWKS, to check the kid and the signature (default: not checked)")
	f.StringVar(&o.RoleARN, "role-arn", "", "the role to assume, arn:aws:iam::<account>:role/<name> (gives the account)")
	f.StringVar(&o.SessionName, "session-name", explainDefaultSession, "the RoleSessionName, for the AssumedRoleUser ARN")
	f.StringVar(&o.Now, "now", "", "judge the token at this time, RFC 3339 (default: now)")
	f.StringVar(&o.For, "for", "", forUsage()+"; with --for, the acceptance matrix follows STS's answer (--trust-policy is needed for aws-sts only)")
	o.parties.register(f)
	_ = cmd.MarkFlagRequired("token")
	inputFiles(f, "token", "trust-policy", "iam-provider", "jwks")
	return cmd
}

// runExplain reads the inputs, judges the token as STS would and prints the
// verdict: nil when STS would succeed, errChecksFailed when it would refuse.
func runExplain(ctx context.Context, o *ExplainOptions) error {
	parties, err := selectParties(o.For, "")
	if err != nil {
		return err
	}
	inputs, err := o.parties.inputs(parties)
	if err != nil {
		return err
	}
	_, sts := parties.Lookup(suites.DefaultRelyingParty)
	if sts && o.TrustPolicy == "" {
		return errors.New(`required flag(s) "trust-policy" not set`)
	}
	var in *explainInputs
	refused := false
	if sts {
		if in, err = o.inputs(); err != nil {
			return err
		}
		v := in.judge(ctx)
		if err := printExplanation(o.IO.Out, in, v); err != nil {
			return faultf("explain: %w", err)
		}
		refused = !v.succeeded()
	} else if in, err = o.tokenOnly(); err != nil {
		return err
	}
	if o.For != "" {
		rejects, err := o.explainMatrix(ctx, in, parties, inputs)
		if err != nil {
			return err
		}
		refused = refused || rejects
	}
	if refused {
		return errChecksFailed
	}
	return nil
}

// tokenOnly reads the inputs a matrix without STS needs: the token, the
// clock and the keys.
func (o *ExplainOptions) tokenOnly() (*explainInputs, error) {
	in := &explainInputs{session: o.SessionName}
	in.now = time.Now().UTC().Truncate(time.Second)
	if o.Now != "" {
		t, err := time.Parse(time.RFC3339, o.Now)
		if err != nil {
			return nil, fmt.Errorf("--now %q: want RFC 3339, e.g. 2025-01-02T15:04:05Z", o.Now)
		}
		in.now = t
	}
	if err := in.readToken(o.IO.In, o.TokenFile); err != nil {
		return nil, err
	}
	return in, in.readKeys(o.JWKS)
}
