package cli

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/reports"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// RunOptions are the flags of `run`.
type RunOptions struct {
	IO IO

	Issuers     []string
	Targets     string
	Shard       string
	Parallel    int
	RerunFailed string
	Waivers     string
	Console     string
	CAFile      string
	// For names the relying parties to judge for (--for); Profile is its
	// older alias (--profile aws|kubernetes|oidc).
	For string
	// base is the profile the shared checks are judged under when neither
	// --profile nor a targets-file entry names one (set by plan).
	base         string
	Profile      string
	parties      partyFlags
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
	HTML         string
	SaveEvidence string
	Evidence     string

	TokenFile        string
	Token            string
	TokenCmd         string
	Audience         string
	MaxTokenLifetime time.Duration
	Watch            time.Duration
	WatchInterval    time.Duration
	SaveJWKS         string
	JWKSBaseline     string

	RoleARN         string
	STS             string
	Region          string
	SessionName     string
	DurationSeconds int
	TrustPolicy     string
	IAMProvider     string

	// Getenv reads the environment (AWS_WEB_IDENTITY_TOKEN_FILE); nil: os.Getenv.
	Getenv func(string) string
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
	f.StringVar(&o.Targets, "targets", "", "YAML or JSON file listing the targets (\"-\": standard input); the flags give each entry's defaults")
	f.StringVar(&o.Shard, "shard", "", "probe only part I/N of the targets (I from 0, as JOB_COMPLETION_INDEX); merge the reports with `report merge`")
	f.IntVar(&o.Parallel, "parallel", probe.DefaultParallel, "how many targets are probed at once")
	f.StringVar(&o.RerunFailed, "rerun-failed", "", "probe again only the targets that failed in this --json report")
	f.StringVar(&o.Waivers, "waivers", "", "YAML or JSON file of accepted failures: check, target glob, reason, owner, expires (YYYY-MM-DD)")
	f.StringVar(&o.Console, "console", "auto", "console listing: full (every check), fleet (a line per target, then the failures) or auto (fleet above 5 targets)")
	f.StringVar(&o.CAFile, "ca-file", "", "PEM file of extra CA certificates to trust (private CAs)")
	f.StringVar(&o.For, "for", "", forUsage()+" (default aws-sts)")
	f.StringVar(&o.Profile, "profile", "", "older alias of --for: aws (aws-sts), kubernetes (kubernetes-jwt) or oidc")
	o.parties.register(f)
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
	f.StringVar(&o.HTML, "html", "", "write a self-contained HTML report (summary, failures, filter, evidence) to this file")
	f.StringVar(&o.SaveEvidence, "save-evidence", "", "write everything observed to this file (judge it later with --evidence)")
	f.StringVar(&o.Evidence, "evidence", "", "judge a saved evidence file instead of probing")
	f.StringVar(&o.TokenFile, "token-file", "", "web identity token to judge (claims suite), from a file")
	f.StringVar(&o.Token, "token", "", "\"-\": read the token from standard input")
	f.StringVar(&o.TokenCmd, "token-cmd", "", "command printing the token, e.g. \"kubectl create token my-sa --audience sts.amazonaws.com\" (30 s limit, no shell)")
	f.StringVar(&o.Audience, "audience", "", "audience the token must carry (TOK-006; default sts.amazonaws.com, sts.amazonaws.com.cn for an arn:aws-cn: role, none under --profile oidc: aud need only be present)")
	f.DurationVar(&o.MaxTokenLifetime, "max-token-lifetime", 24*time.Hour, "longest a token may live (TOK-010, ROT-002)")
	f.StringVar(&o.RoleARN, "role-arn", "", "after the issuer checks, exchange the token for this role's credentials (STS-001..003)")
	f.StringVar(&o.STS, "sts", "", "STS to call: mock (default with --role-arn), aws (real STS, anonymous), or an https:// endpoint URL")
	f.StringVar(&o.Region, "region", os.Getenv("AWS_REGION"), "AWS region of --sts aws (default $AWS_REGION)")
	f.StringVar(&o.SessionName, "session-name", "", "RoleSessionName of the exchange (default $AWS_ROLE_SESSION_NAME, else oidc-conformance)")
	f.IntVar(&o.DurationSeconds, "duration-seconds", 0, "DurationSeconds of the exchange, 900..43200 (default: not sent, STS's 1 h)")
	f.StringVar(&o.TrustPolicy, "trust-policy", "", "the role's trust policy JSON (bare or as aws iam get-role prints it) (IAM-004..007)")
	f.StringVar(&o.IAMProvider, "iam-provider", "", "the provider JSON aws iam get-open-id-connect-provider prints (IAM-001..003)")
	f.DurationVar(&o.Watch, "watch", 0, "poll the JWKS for this long to judge key rotation (ROT-002, ROT-006); Ctrl-C ends early and still reports")
	f.DurationVar(&o.WatchInterval, "watch-interval", probe.DefaultWatchInterval, "time between polls of --watch")
	f.StringVar(&o.SaveJWKS, "save-jwks", "", "write the JWKS seen (with the time) to this file, for a later --jwks-baseline")
	f.StringVar(&o.JWKSBaseline, "jwks-baseline", "", "compare with a JWKS saved by an earlier run (--save-jwks) or a bare JWKS file (ROT-001, ROT-003)")
	inputFiles(f, "ca-file", "evidence", "token-file", "trust-policy", "iam-provider", "jwks-baseline", "targets", "waivers", "rerun-failed")
	return cmd
}

// plan is a validated run: what to probe (or read) and where the reports go.
type plan struct {
	// targets are the validated targets; jobs[i] probes targets[i].
	targets  []Target
	jobs     []probe.Job
	clients  *clientSet
	parallel int
	evidence string
	save     string
	runner   runner.Config
	outputs  outputs
	color    bool
	timeout  time.Duration
	// watch is the longest rotation watch of the jobs (added to the timeout).
	watch    time.Duration
	saveJWKS string
	// saveFailed is set when --save-jwks had nothing to save.
	saveFailed bool
	progress   *watchProgress
	sts        *stsPlan
	// parties are the relying parties asked for (nil with --evidence: the
	// saved targets say).
	parties relyingparty.Registry
	// anyFailure: exit 1 on any failed check (--profile), not only when a
	// relying party asked for rejects (--for).
	anyFailure bool
	// shard is the --shard part of the targets, or nil; total counts the
	// targets of every shard.
	shard *shard
	total int
	// waivers are the --waivers in force or expired.
	waivers []reports.Waiver
	// console is the listing asked for; annotate adds GitHub annotations.
	console  string
	annotate bool
	// fleetProgress reports probing on stderr (a fleet run only).
	fleetProgress *fleetProgress
}

func (o *RunOptions) plan(ctx context.Context) (*plan, error) {
	p := &plan{
		evidence: o.Evidence,
		save:     o.SaveEvidence,
		timeout:  o.Timeout,
		parallel: o.Parallel,
		color:    o.IO.Terminal && !o.NoColor && os.Getenv("NO_COLOR") == "",
		runner:   runner.Config{LabelFilter: o.LabelFilter, Focus: o.Focus, Strict: o.Strict},
		outputs:  outputs{JUnit: o.JUnit, JSON: o.JSON, Markdown: o.Markdown, HTML: o.HTML},
	}
	if o.Verbose {
		p.runner.Output = o.IO.Err
	}
	if o.Timeout <= 0 {
		return nil, fmt.Errorf("--timeout %s: must be positive", o.Timeout)
	}
	if o.Parallel < 1 {
		return nil, fmt.Errorf("--parallel %d: probe at least one target at a time", o.Parallel)
	}
	if err := runner.ValidateLabelFilter(o.LabelFilter); err != nil {
		return nil, fmt.Errorf("--label-filter: %w", err)
	}
	parties, err := selectParties(o.For, o.Profile)
	if err != nil {
		return nil, err
	}
	partyInputs, err := o.parties.inputs(parties)
	if err != nil {
		return nil, err
	}
	p.parties = parties
	o.base = string(baseProfile(parties, o.Profile))
	// --profile keeps its exit code: any failed check fails the run.
	p.anyFailure = o.Profile != ""
	if o.MaxTokenLifetime <= 0 {
		return nil, fmt.Errorf("--max-token-lifetime %s: must be positive", o.MaxTokenLifetime)
	}
	if o.Watch < 0 || o.WatchInterval <= 0 {
		return nil, fmt.Errorf("--watch %s --watch-interval %s: want a positive interval and a watch of zero or more", o.Watch, o.WatchInterval)
	}
	if o.Watch > 0 && o.Watch < o.WatchInterval {
		return nil, fmt.Errorf("--watch %s is shorter than --watch-interval %s: a watch needs at least two polls", o.Watch, o.WatchInterval)
	}
	for _, f := range o.Focus {
		if _, err := regexp.Compile(f); err != nil {
			return nil, fmt.Errorf("--focus %q: %w", f, err)
		}
	}
	if o.Token != "" && o.Token != "-" {
		return nil, fmt.Errorf("--token: only \"-\" (standard input) is accepted; a token on the command line would leak into shell history")
	}
	if err := o.oneTokenSource(); err != nil {
		return nil, err
	}
	if p.shard, err = parseShard(o.Shard); err != nil {
		return nil, err
	}
	switch o.Console {
	case "auto", "full", "fleet":
		p.console = o.Console
	default:
		return nil, fmt.Errorf("--console %q: want auto, full or fleet", o.Console)
	}
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	p.annotate = getenv("GITHUB_ACTIONS") == "true"
	if p.waivers, err = readWaivers(o.Waivers, suites.FullCatalog()); err != nil {
		return nil, err
	}
	baseline, err := readBaseline(o.JWKSBaseline)
	if err != nil {
		return nil, err
	}
	p.saveJWKS = o.SaveJWKS
	p.progress = &watchProgress{w: o.IO.Err, terminal: o.IO.Terminal}
	if o.Evidence != "" {
		if err := o.evidenceOnly(); err != nil {
			return nil, err
		}
		return p, p.outputs.check(o.SaveEvidence)
	}
	if o.Targets != "" && len(o.Issuers) > 0 {
		return nil, fmt.Errorf("--targets lists the issuers; give no --issuer with it")
	}
	if o.Targets == "-" && o.Token == "-" {
		return nil, fmt.Errorf("--targets - and --token - both read standard input")
	}
	// A pod's SDK environment fills the role and session name left unset.
	sources := o.podDefaults(getenv)
	// Every flag is checked before anything runs (a --token-cmd, the mock
	// STS); only a run that names no issuer reads the token first, for its issuer.
	if err := checkWritable("--save-jwks", o.SaveJWKS); err != nil {
		return nil, err
	}
	if err := p.outputs.check(o.SaveEvidence); err != nil {
		return nil, err
	}
	var raw, source string
	tokenRead := false
	issuers := o.Issuers
	if o.Targets == "" && len(issuers) == 0 {
		if raw, source, err = o.readToken(ctx); err != nil {
			return nil, err
		}
		tokenRead = true
		iss, err := token.IssuerOf(raw)
		if raw == "" || err != nil || iss == "" {
			return nil, fmt.Errorf("no --issuer given (nor --targets, a token naming its issuer, or --evidence FILE)")
		}
		issuers = []string{iss}
	}
	if p.targets, err = o.buildTargets(issuers); err != nil {
		return nil, err
	}
	if o.SaveJWKS != "" && len(p.targets) > 1 {
		return nil, fmt.Errorf("--save-jwks saves one issuer's JWKS; give one --issuer")
	}
	p.total = len(p.targets)
	if p.targets, err = o.selectTargets(p.targets, p.shard); err != nil {
		return nil, err
	}
	if p.clients, err = newClientSet(p.targets, o.Timeout); err != nil {
		return nil, err
	}
	anyRole := false
	for _, t := range p.targets {
		anyRole = anyRole || t.RoleARN != ""
	}
	if p.sts, err = o.stsPlan(anyRole); err != nil {
		return nil, err
	}
	p.sts.sources = sources
	if !tokenRead {
		if raw, source, err = o.readToken(ctx); err != nil {
			return nil, err
		}
	}
	for _, t := range p.targets {
		job := probe.Job{Input: t.input(), Baseline: baseline, Pod: podEnv(getenv)}
		if err := forParties(&job, parties, partyInputs, string(t.Profile)); err != nil {
			return nil, err
		}
		if o.Watch > 0 {
			job.Watch = &probe.WatchOptions{Duration: o.Watch, Interval: o.WatchInterval, Progress: p.progress.forTarget(t.Name)}
			job.Input.Watch = evidence.Duration(o.Watch)
			p.watch = o.Watch
		}
		p.jobs = append(p.jobs, job)
	}
	attachToken(p.jobs, raw, source)
	if err := attachOwnTokens(ctx, p.jobs, p.targets); err != nil {
		return nil, err
	}
	if len(p.targets) > reports.FleetThreshold {
		p.fleetProgress = newFleetProgress(o.IO.Err, o.IO.ErrTerminal, len(p.targets))
	}
	return p, nil
}

// evidenceOnly rejects the flags that a run from saved evidence would
// silently ignore: they contradict --evidence.
func (o *RunOptions) evidenceOnly() error {
	if len(o.Issuers) > 0 {
		return fmt.Errorf("--evidence judges saved targets; it takes no --issuer")
	}
	if given := o.parties.given(); len(given) > 0 {
		return fmt.Errorf("%s has no effect with --evidence (the relying parties and their inputs are saved in it)", given[0])
	}
	for flag, set := range map[string]bool{
		"--token-file": o.TokenFile != "", "--token": o.Token != "", "--token-cmd": o.TokenCmd != "",
		"--role-arn": o.RoleARN != "", "--sts": o.STS != "", "--trust-policy": o.TrustPolicy != "",
		"--iam-provider": o.IAMProvider != "", "--watch": o.Watch > 0, "--jwks-baseline": o.JWKSBaseline != "",
		"--save-jwks": o.SaveJWKS != "", "--thumbprint": len(o.Thumbprints) > 0, "--resolve": len(o.Resolve) > 0,
		"--ca-file": o.CAFile != "", "--for": o.For != "", "--profile": o.Profile != "",
	} {
		if set {
			return fmt.Errorf("%s has no effect with --evidence (the saved run is judged as it was probed)", flag)
		}
	}
	return nil
}

// podEnv is the pod's AWS SDK credential environment, nil when it names none.
func podEnv(getenv func(string) string) *evidence.PodEnv {
	p := &evidence.PodEnv{
		WebIdentityTokenFile: getenv(envWebIdentityToken), RoleARN: getenv(envRoleARN),
		ContainerCredentialsURI: getenv(envContainerURI), ContainerAuthTokenFile: getenv(envContainerToken),
	}
	if *p == (evidence.PodEnv{}) {
		return nil
	}
	return p
}

// getenv is Getenv, or os.Getenv.
func (o *RunOptions) getenv() func(string) string {
	if o.Getenv != nil {
		return o.Getenv
	}
	return os.Getenv
}

// oneTokenSource refuses two token sources: which one would be judged is
// not for a precedence rule to decide silently.
func (o *RunOptions) oneTokenSource() error {
	var given []string
	for _, src := range []struct {
		flag string
		set  bool
	}{{"--token-file", o.TokenFile != ""}, {"--token -", o.Token == "-"}, {"--token-cmd", o.TokenCmd != ""}} {
		if src.set {
			given = append(given, src.flag)
		}
	}
	if len(given) > 1 {
		return fmt.Errorf("%s: give one token source", strings.Join(given, " and "))
	}
	return nil
}

// readToken reads the token from the first configured source.
func (o *RunOptions) readToken(ctx context.Context) (raw, source string, err error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	src := token.Source{File: o.TokenFile, Stdin: o.Token == "-", Cmd: o.TokenCmd, Env: getenv, In: o.IO.In}
	return src.Read(ctx)
}

// attachToken gives the token to the targets of its issuer, or to every
// target when it names none of them (TOK-005 then says so).
func attachToken(jobs []probe.Job, raw, source string) {
	if raw == "" {
		return
	}
	iss, _ := token.IssuerOf(raw)
	matched := false
	for i := range jobs {
		if jobs[i].Input.Issuer == iss {
			jobs[i].Token, jobs[i].TokenSource, matched = raw, source, true
		}
	}
	if !matched {
		for i := range jobs {
			jobs[i].Token, jobs[i].TokenSource = raw, source
		}
	}
}

func runRun(ctx context.Context, o *RunOptions) error {
	p, err := o.plan(ctx)
	if err != nil {
		return err
	}
	if o.DryRun {
		return dryRun(o.IO, p)
	}
	return p.execute(ctx, o.IO)
}
