package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/reports"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// latentIssuer starts a fixture hosting n issuers whose every answer is
// delayed by latency, and returns it with the --resolve pins that reach it.
func latentIssuer(b *testing.B, n int, latency time.Duration) (*issuer.Server, map[string][]string) {
	b.Helper()
	srv, err := issuer.New(issuer.Config{Profile: "eks", Issuers: n, Latency: latency})
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	return srv, srv.ResolveAll()
}

// goOIDCClient is the floor's HTTP client: a fresh transport (as a fresh
// process has) with the same pins and roots, system roots loaded as Go does.
func goOIDCClient(pins map[string][]string, root *x509.Certificate) *http.Client {
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	pool.AddCert(root)
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool},
		MaxIdleConnsPerHost: 16,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if to := pins[addr]; len(to) > 0 {
				addr = to[0]
			}
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// goOIDCVerify is a relying party's first verdict on a token: discovery
// (NewProvider), then the JWKS and the signature (Verify).
func goOIDCVerify(hc *http.Client, iss, raw string) error {
	ctx := oidc.ClientContext(context.Background(), hc)
	p, err := oidc.NewProvider(ctx, iss)
	if err != nil {
		return err
	}
	_, err = p.Verifier(&oidc.Config{ClientID: "sts.amazonaws.com"}).Verify(ctx, raw)
	return err
}

// runVerdict is what `run` does for one issuer and a token, in process: a
// fresh client, the probe, every check judged, every report rendered. (The
// Ginkgo tree is left out: RunSpecs runs once per process; BenchmarkFleet1000
// runs the binary itself.)
func runVerdict(pins map[string][]string, root *x509.Certificate, thumbprints []string, iss, raw, roleARN string) (reports.Results, int) {
	target := Target{Name: iss, Issuer: iss, Resolve: pins, Roots: []*x509.Certificate{root}, CAFile: "ca", Profile: "aws",
		Audience: "sts.amazonaws.com", MaxTokenLifetime: 24 * time.Hour, RoleARN: roleARN, Thumbprints: thumbprints}
	cs, _ := newClientSet([]Target{target}, time.Minute)
	defer cs.closeIdle()
	job := probe.Job{Input: target.input(), Token: raw, TokenSource: "bench", Client: cs.forTarget(target)}
	if roleARN != "" {
		// --role-arn with the mock STS, as run sets it up.
		jobs := []probe.Job{job}
		stop, err := (&stsPlan{mode: "mock", session: "bench", requestTimeout: 15 * time.Second}).attach(jobs, []Target{target}, cs)
		if err != nil {
			panic(err)
		}
		defer stop()
		job = jobs[0]
	}
	run := probe.Run(context.Background(), []probe.Job{job}, probe.Options{Tool: "bench"})
	cat := suites.Catalog()
	out := runner.Outcome{}
	for _, t := range run.Targets {
		tv := runner.TargetVerdicts{Target: t}
		for _, v := range runner.JudgeTarget(t, cat) {
			tv.Verdicts = append(tv.Verdicts, runner.Verdict{Verdict: v, Selected: true})
		}
		out.Targets = append(out.Targets, tv)
	}
	res := reports.FromRun(out, cat)
	for _, w := range []func(io.Writer, reports.Results) error{reports.WriteJSON, reports.WriteJUnit, reports.WriteMarkdown, reports.WriteHTML} {
		_ = w(io.Discard, res)
	}
	return res, res.Summary.Failed
}

// BenchmarkTimeToVerdict: one good issuer whose every answer takes 50 ms,
// a token; `run`'s probe, judgement and reports against a go-oidc
// NewProvider + Verify of the same token, alternately in the same run. The
// line to compare is ratio (ours / go-oidc); the brief's bound is 1.2.
func BenchmarkTimeToVerdict(b *testing.B) { benchTimeToVerdict(b, "") }

// BenchmarkTimeToVerdictSTS is BenchmarkTimeToVerdict with --role-arn and
// the mock STS (which fetches the issuer's documents itself, as STS does):
// the brief's bound is 1.3.
func BenchmarkTimeToVerdictSTS(b *testing.B) {
	benchTimeToVerdict(b, "arn:aws:iam::111122223333:role/bench")
}

func benchTimeToVerdict(b *testing.B, roleARN string) {
	srv, pins := latentIssuer(b, 1, 50*time.Millisecond)
	raw, err := srv.MintToken(issuer.TokenOptions{})
	if err != nil {
		b.Fatal(err)
	}
	iss, root := srv.IssuerURL(), srv.CA().Root
	var ours, floor time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if res, failed := runVerdict(pins, root, []string{pki.Thumbprint(srv.CA().Intermediate)}, iss, raw, roleARN); failed != 0 {
			for _, t := range res.Targets {
				for _, r := range t.Results {
					if r.Status == "failed" {
						b.Logf("%s: %s", r.ID, r.Message)
					}
				}
			}
			b.Fatalf("the good issuer failed %d checks", failed)
		}
		ours += time.Since(start)
		start = time.Now()
		if err := goOIDCVerify(goOIDCClient(pins, root), iss, raw); err != nil {
			b.Fatal(err)
		}
		floor += time.Since(start)
	}
	b.StopTimer()
	path := strings.TrimPrefix(iss, "https://issuer.test")
	// The floor fetches each document once; the rest are ours (with the
	// mock STS, its own fetches too).
	b.ReportMetric(float64(srv.Requests(path+"/.well-known/openid-configuration")-b.N)/float64(b.N), "discovery-requests")
	b.ReportMetric(float64(srv.Requests(path+"/keys")-b.N)/float64(b.N), "jwks-requests")
	b.ReportMetric(float64(ours.Milliseconds())/float64(b.N), "ms/verdict")
	b.ReportMetric(float64(floor.Milliseconds())/float64(b.N), "go-oidc-ms")
	b.ReportMetric(float64(ours)/float64(floor), "ratio")
}

// fleetSize and fleetLatency are BenchmarkFleet1000's fleet.
const (
	fleetSize    = 1000
	fleetLatency = 20 * time.Millisecond
)

// BenchmarkFleet1000: `run` (the binary, in a child process) over 1000
// path-hosted issuers answering after 20 ms, every report written, against
// a go-oidc relying party verifying a token from each issuer in one process
// at the same concurrency (16). Lines to compare: ratio (bound 1.5) and
// peak-MB (bound 150), the child's maximum resident set.
func BenchmarkFleet1000(b *testing.B) {
	srv, pins := latentIssuer(b, fleetSize, fleetLatency)
	dir := b.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, srv.CA().RootPEM(), 0o644); err != nil {
		b.Fatal(err)
	}
	var targets strings.Builder
	for i, u := range srv.IssuerURLs() {
		fmt.Fprintf(&targets, "- name: cluster-%04d\n  issuer: %s\n", i, u)
	}
	tf := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(tf, []byte(targets.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	args := []string{"run", "--targets", tf, "--ca-file", ca, "--thumbprint", pki.Thumbprint(srv.CA().Intermediate),
		"--json", dir + "/r.json", "--junit", dir + "/r.xml", "--markdown", dir + "/r.md", "--html", dir + "/r.html"}
	for hp, addrs := range pins {
		args = append(args, "--resolve", hp+":"+strings.Join(addrs, ","))
	}
	tokens := make([]string, fleetSize)
	for i, u := range srv.IssuerURLs() {
		now := time.Now()
		raw, err := srv.SignToken(map[string]any{"iss": u, "sub": "system:serviceaccount:default:my-sa", "aud": "sts.amazonaws.com",
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})
		if err != nil {
			b.Fatal(err)
		}
		tokens[i] = raw
	}
	var ours, floor time.Duration
	var peakKB int64
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1", "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil && cmd.ProcessState.ExitCode() != ExitPass {
			b.Fatalf("run: %v\n%s", err, tail(out))
		}
		if log := os.Getenv("OIDC_CONFORMANCE_BENCH_LOG"); log != "" {
			_ = os.WriteFile(log, out, 0o644)
		}
		ours += time.Since(start)
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakKB = max(peakKB, ru.Maxrss)
		}
		start = time.Now()
		hc := goOIDCClient(pins, srv.CA().Root)
		var wg sync.WaitGroup
		sem := make(chan struct{}, probe.DefaultParallel)
		errs := make(chan error, fleetSize)
		for i, u := range srv.IssuerURLs() {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if err := goOIDCVerify(hc, u, tokens[i]); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		floor += time.Since(start)
		close(errs)
		if err := <-errs; err != nil {
			b.Fatalf("go-oidc: %v", err)
		}
	}
	b.StopTimer()
	b.ReportMetric(ours.Seconds()/float64(b.N), "s/run")
	b.ReportMetric(floor.Seconds()/float64(b.N), "go-oidc-s")
	b.ReportMetric(float64(ours)/float64(floor), "ratio")
	b.ReportMetric(float64(peakKB)/1024, "peak-MB")
}

// tail is the end of a long output, for an error.
func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
