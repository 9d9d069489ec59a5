package cli

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
	"github.com/oidc-conformance/oidc-conformance/suites/azure"
	"github.com/oidc-conformance/oidc-conformance/suites/eks"
	"github.com/oidc-conformance/oidc-conformance/suites/gcp"
	"github.com/oidc-conformance/oidc-conformance/suites/kubernetes"
	"github.com/oidc-conformance/oidc-conformance/suites/vault"
)

// DemoRoleARN is the role the demo assumes in the mock STS.
const DemoRoleARN = "arn:aws:iam::111122223333:role/oidc-conformance-demo"

// DemoOptions are the flags of `demo`.
type DemoOptions struct {
	IO      IO
	Out     string
	Defects []string
	Profile string
	NoColor bool
	// For names the relying parties (--for), as run's.
	For string
}

// NewCmdDemo builds `demo`: the whole harness against the embedded fixture
// issuer, on loopback, with no network.
func NewCmdDemo(streams IO, runF func(context.Context, *DemoOptions) error) *cobra.Command {
	o := &DemoOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "demo [--out DIR] [--defect NAME]...",
		Short: "Run every suite against the built-in fixture issuer (no network needed)",
		Long: `Start the fixture issuer on loopback with a fresh test CA, run every suite against it,
print the console report and write console.txt, junit.xml, report.json and report.md
to --out. With --defect the issuer misbehaves on purpose and the report shows the
defect being caught ("serve issuer --list-defects" lists them).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runDemo(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Out, "out", "conformance-report", "folder for the reports")
	cmd.Flags().StringArrayVar(&o.Defects, "defect", nil, "make the fixture issuer misbehave (repeatable)")
	cmd.Flags().StringVar(&o.Profile, "profile", "eks", "fixture issuer shape: eks, kubernetes, s3, github (GitHub Actions' issuer at https://token.actions.githubusercontent.com, reached on loopback) or idp (an identity provider's ID tokens for a user)")
	cmd.Flags().StringVar(&o.For, "for", "", forUsage()+" (default aws-sts); the fixture sets each one up for its tokens")
	cmd.Flags().BoolVar(&o.NoColor, "no-color", false, "no colour in the console report")
	return cmd
}

func runDemo(ctx context.Context, o *DemoOptions) error {
	parties, err := selectParties(o.For, "")
	if err != nil {
		return err
	}
	srv, err := issuer.New(issuer.Config{Profile: o.Profile, Defects: o.Defects})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := srv.Start(); err != nil {
		return faultf("start fixture issuer: %w", err)
	}
	defer srv.Close()
	ca := srv.CA()
	sc, err := srv.Scenario()
	if err != nil {
		return faultf("demo scenario: %w", err)
	}
	progress := &watchProgress{w: o.IO.Err, terminal: o.IO.Terminal}
	job := scenarioJob(srv.IssuerURL(), sc, progress)
	// As if the user had registered the CA's intermediate in IAM.
	job.Input.Thumbprints = []string{pki.Thumbprint(ca.Intermediate)}
	if err := forParties(&job, parties, scenarioInputs(sc, parties)); err != nil {
		return faultf("demo relying parties: %w", err)
	}
	target := Target{Name: job.Input.Issuer, Issuer: job.Input.Issuer, Thumbprints: job.Input.Thumbprints,
		Resolve: srv.ResolveAll(), Roots: []*x509.Certificate{ca.Root}, CAFile: "the fixture CA", RoleARN: DemoRoleARN}
	job.Input.Name = target.Name
	sts := demoSTS(srv.IssuerURL(), sc, job, &target)
	clients, err := newClientSet([]Target{target}, time.Minute)
	if err != nil {
		return faultf("demo: %w", err)
	}
	p := &plan{
		parties: parties,
		targets: []Target{target},
		jobs:    []probe.Job{job},
		watch:   sc.Watch,
		clients: clients,
		timeout: time.Minute,
		color:   o.IO.Terminal && !o.NoColor && os.Getenv("NO_COLOR") == "",
		outputs: outputs{
			Console:  filepath.Join(o.Out, "console.txt"),
			JUnit:    filepath.Join(o.Out, "junit.xml"),
			JSON:     filepath.Join(o.Out, "report.json"),
			Markdown: filepath.Join(o.Out, "report.md"),
			HTML:     filepath.Join(o.Out, "report.html"),
		},
		// The whole chain: the mock STS registers the issuer as IAM would
		// (client ID sts.amazonaws.com, the intermediate's thumbprint) with
		// a least-privilege role for the demo token's service account.
		sts: sts,
	}
	if sc.PublicCA {
		p.clients.publicRoots = []*x509.Certificate{ca.Root}
		p.sts.mockRoots = []*x509.Certificate{ca.Root}
	}
	if err := p.outputs.check(""); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Err, "demo: fixture issuer %s (profile %s) on %s, defects %v; reports in %s\n",
		srv.IssuerURL(), o.Profile, srv.Addr(), o.Defects, o.Out)
	return p.execute(ctx, o.IO)
}

// scenarioJob is the probe job that shows a fixture issuer's defects: its
// token, its rotation watch, its baseline.
func scenarioJob(issuerURL string, sc issuer.Scenario, progress *watchProgress) probe.Job {
	job := probe.Job{
		Input: evidence.Input{
			Issuer: issuerURL, Profile: string(check.AWS),
			Audience: sc.Audience, MaxTokenLifetime: evidence.Duration(sc.MaxTokenLifetime),
		},
		Token: sc.Token, TokenSource: "minted by the fixture issuer",
	}
	if sc.Watch > 0 {
		job.Watch = &probe.WatchOptions{Duration: sc.Watch, Interval: sc.WatchInterval, Progress: progress.forTarget(issuerURL)}
	}
	if sc.Baseline != nil {
		job.Baseline = &evidence.Baseline{Source: "fixture baseline", SavedAt: sc.BaselineSavedAt, JWKS: sc.Baseline}
	}
	return job
}

// demoSTS is the demo's IAM registration and mock STS: the issuer registered
// as IAM would (client ID the audience, the intermediate's thumbprint) with a
// least-privilege role for the demo token, changed as the IAM defects say.
func demoSTS(issuerURL string, sc issuer.Scenario, job probe.Job, t *Target) *stsPlan {
	host := trust.ProviderHost(issuerURL)
	provider := &evidence.IAM{
		ProviderSource: "the demo's IAM registration",
		ProviderURL:    host,
		ClientIDs:      []string{sc.Audience},
		Thumbprints:    job.Input.Thumbprints,
	}
	if sc.IAM.ProviderURL != nil {
		provider.ProviderURL = sc.IAM.ProviderURL(host)
	}
	if sc.IAM.ClientIDs != nil {
		provider.ClientIDs = sc.IAM.ClientIDs
	}
	if sc.IAM.Thumbprints != nil {
		provider.Thumbprints = sc.IAM.Thumbprints
	}
	t.Provider = provider
	s := &stsPlan{mode: "mock", session: "oidc-conformance-demo", requestTimeout: 15 * time.Second, misbehave: sc.IAM.STSMisbehaves}
	if sc.IAM.TrustPolicy != nil {
		arn := trust.ProviderARN(demoAccount, issuerURL)
		t.TrustPolicy = sc.IAM.TrustPolicy(arn, host, sc.Audience, subjectOf(job.Token))
		t.TrustSource = "the demo role's trust policy"
	}
	if sc.IAM.RoleMissing {
		s.mockRoleARN = "arn:aws:iam::" + demoAccount + ":role/some-other-role"
	}
	return s
}

// demoAccount is the account of DemoRoleARN.
const demoAccount = "111122223333"

// subjectOf is the token's unverified sub, or "".
func subjectOf(raw string) string {
	t := token.Observe(raw, "")
	var c struct {
		Sub string `json:"sub"`
	}
	if len(t.Claims) == 0 || json.Unmarshal(t.Claims, &c) != nil {
		return ""
	}
	return c.Sub
}

// scenarioInputs are the relying parties' inputs as the fixture sets them up
// for its tokens: the EKS association, the kube-apiserver configuration,
// the GCP provider, the Entra federated identity credential and the Vault
// mount's config and role, as files a user would pass.
func scenarioInputs(sc issuer.Scenario, parties relyingparty.Registry) []evidence.RelyingParty {
	files := map[string]map[string]evidence.File{
		eks.Name:        {eks.FlagConfig: {Path: "the fixture's EKS identity provider association", Body: sc.Parties.EKSConfigJSON()}},
		kubernetes.Name: {kubernetes.FlagConfig: {Path: "the fixture's AuthenticationConfiguration", Body: sc.Parties.KubeConfigJSON()}},
		gcp.Name:        {gcp.FlagProvider: {Path: "the fixture's GCP workload identity pool provider", Body: sc.Parties.GCPConfigJSON()}},
		azure.Name:      {azure.FlagFIC: {Path: "the fixture's Entra federated identity credential", Body: sc.Parties.AzureFICJSON()}},
		vault.Name: {vault.FlagConfig: {Path: "the fixture's Vault auth/jwt/config", Body: sc.Parties.VaultConfigJSON()},
			vault.FlagRole: {Path: "the fixture's Vault auth/jwt/role/fixture", Body: sc.Parties.VaultRoleJSON()}},
	}
	out := make([]evidence.RelyingParty, 0, len(parties))
	for _, p := range parties {
		out = append(out, evidence.RelyingParty{Name: p.Name, Files: files[p.Name]})
	}
	return out
}
