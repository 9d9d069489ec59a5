package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
)

// RunOptions are the flags of `run`.
type RunOptions struct {
	IO IO

	Issuers      []string
	CAFile       string
	Profile      string
	Thumbprints  []string
	Resolve      []string
	LabelFilter  string
	Focus        []string
	Strict       bool
	Timeout      time.Duration
	NoColor      bool
	Verbose      bool
	DryRun       bool
	JUnit        string
	JSON         string
	Markdown     string
	SaveEvidence string
	Evidence     string
}

// NewCmdRun builds `run`. runF replaces the behaviour in flag-parsing tests.
func NewCmdRun(streams IO, runF func(context.Context, *RunOptions) error) *cobra.Command {
	o := &RunOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "run --issuer URL [flags]",
		Short: "Probe issuers and judge every check",
		Long: `Probe each issuer once (discovery, JWKS, TLS), judge every check against what was
observed, print a console report and write the reports asked for.

Exit codes: 0 every check passed (warnings allowed), 1 a check failed (or a warning
with --strict), 2 bad input, 3 harness fault.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runRun(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.Issuers, "issuer", nil, "issuer URL to test (repeatable)")
	f.StringVar(&o.CAFile, "ca-file", "", "PEM file of extra CA certificates to trust (private CAs)")
	f.StringVar(&o.Profile, "profile", "aws", "rules to apply: aws, kubernetes or oidc")
	f.StringArrayVar(&o.Thumbprints, "thumbprint", nil, "IAM thumbprint registered for the provider, 40 hex (repeatable, at most 5)")
	f.StringArrayVar(&o.Resolve, "resolve", nil, "pin HOST:PORT to ADDR (as curl; ADDR may carry a port) (repeatable)")
	f.StringVar(&o.LabelFilter, "label-filter", "", "run only checks whose labels match (areas, fail/warn/info, profiles, IDs), e.g. 'discovery && fail'")
	f.StringArrayVar(&o.Focus, "focus", nil, "run only checks whose text matches this regular expression (repeatable)")
	f.BoolVar(&o.Strict, "strict", false, "treat warnings as failures")
	f.DurationVar(&o.Timeout, "timeout", time.Minute, "limit for all probing of a run; each request is also bounded (15 s)")
	f.BoolVar(&o.NoColor, "no-color", false, "no colour in the console report")
	f.BoolVar(&o.Verbose, "verbose", false, "also show Ginkgo's own progress on stderr")
	f.BoolVar(&o.DryRun, "dry-run", false, "list the checks that would run; probe nothing, write no report")
	f.StringVar(&o.JUnit, "junit", "", "write a JUnit XML report to this file")
	f.StringVar(&o.JSON, "json", "", "write a JSON report to this file")
	f.StringVar(&o.Markdown, "markdown", "", "write a Markdown report to this file (e.g. $GITHUB_STEP_SUMMARY)")
	f.StringVar(&o.SaveEvidence, "save-evidence", "", "write everything observed to this file (judge it later with --evidence)")
	f.StringVar(&o.Evidence, "evidence", "", "judge a saved evidence file instead of probing")
	return cmd
}

// plan is a validated run: what to probe (or read) and where the reports go.
type plan struct {
	inputs   []evidence.Input
	client   clientConfig
	evidence string
	save     string
	runner   runner.Config
	outputs  outputs
	color    bool
	timeout  time.Duration
}

func (o *RunOptions) plan() (*plan, error) {
	p := &plan{
		evidence: o.Evidence,
		save:     o.SaveEvidence,
		timeout:  o.Timeout,
		color:    o.IO.Terminal && !o.NoColor && os.Getenv("NO_COLOR") == "",
		runner:   runner.Config{LabelFilter: o.LabelFilter, Focus: o.Focus, Strict: o.Strict},
		outputs:  outputs{JUnit: o.JUnit, JSON: o.JSON, Markdown: o.Markdown},
	}
	if o.Verbose {
		p.runner.Output = o.IO.Err
	}
	if o.Timeout <= 0 {
		return nil, fmt.Errorf("--timeout %s: must be positive", o.Timeout)
	}
	if err := runner.ValidateLabelFilter(o.LabelFilter); err != nil {
		return nil, fmt.Errorf("--label-filter: %w", err)
	}
	profile, err := check.ParseProfile(o.Profile)
	if err != nil {
		return nil, fmt.Errorf("--profile: %w", err)
	}
	tps, err := parseThumbprints(o.Thumbprints)
	if err != nil {
		return nil, err
	}
	if p.client.resolve, err = parseResolve(o.Resolve); err != nil {
		return nil, err
	}
	if p.client.roots, err = readCAFile(o.CAFile); err != nil {
		return nil, err
	}
	switch {
	case o.Evidence != "" && len(o.Issuers) > 0:
		return nil, fmt.Errorf("--evidence judges saved targets; it takes no --issuer")
	case o.Evidence == "" && len(o.Issuers) == 0:
		return nil, fmt.Errorf("no --issuer given (or --evidence FILE)")
	}
	for _, s := range o.Issuers {
		iss, err := parseIssuer(s)
		if err != nil {
			return nil, err
		}
		p.inputs = append(p.inputs, evidence.Input{Issuer: iss, Profile: string(profile), Thumbprints: tps, CAFile: o.CAFile})
	}
	if err := p.outputs.check(o.SaveEvidence); err != nil {
		return nil, err
	}
	return p, nil
}

func runRun(ctx context.Context, o *RunOptions) error {
	p, err := o.plan()
	if err != nil {
		return err
	}
	if o.DryRun {
		return dryRun(o.IO, p)
	}
	return p.execute(ctx, o.IO)
}
