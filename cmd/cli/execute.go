package cli

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/reports"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// clientSet is the run's bounded HTTP clients: one per distinct --ca-file
// (each target's TLS-001 trusts its own CA bundle only), all with the
// --resolve pins of every target. Probing and the STS exchange share them.
type clientSet struct {
	resolve map[string][]string
	timeout time.Duration
	byCA    map[string]*fetch.Client
	roots   map[string][]*x509.Certificate
	// publicRoots, when set, stand for the public roots (the demo's CA under
	// a scenario that asks for it: fetch.Options.PublicRoots).
	publicRoots []*x509.Certificate
}

// newClientSet collects the targets' pins and CA bundles; a host:port pinned
// to different addresses by two targets is an error.
func newClientSet(targets []Target, timeout time.Duration) (*clientSet, error) {
	cs := &clientSet{resolve: map[string][]string{}, timeout: timeout, byCA: map[string]*fetch.Client{}, roots: map[string][]*x509.Certificate{}}
	for _, t := range targets {
		for hp, addrs := range t.Resolve {
			if prev, ok := cs.resolve[hp]; ok && !slices.Equal(prev, addrs) {
				return nil, fmt.Errorf("target %q pins %s to %v, another target to %v", t.Name, hp, addrs, prev)
			}
			cs.resolve[hp] = addrs
		}
		cs.roots[t.CAFile] = t.Roots
	}
	return cs, nil
}

// forTarget returns the client of t's CA bundle, made on first use. Each
// request's limit is also held under the run's overall timeout.
func (cs *clientSet) forTarget(t Target) *fetch.Client {
	if c, ok := cs.byCA[t.CAFile]; ok {
		return c
	}
	c := fetch.New(fetch.Options{
		RequestTimeout: min(fetch.DefaultRequestTimeout, cs.timeout),
		Resolve:        cs.resolve,
		ExtraRoots:     cs.roots[t.CAFile],
		PublicRoots:    cs.publicRoots,
		UserAgent:      "oidc-conformance/" + Version,
	})
	cs.byCA[t.CAFile] = c
	return c
}

// closeIdle closes every client's idle connections.
func (cs *clientSet) closeIdle() {
	for _, c := range cs.byCA {
		c.CloseIdle()
	}
}

// execute probes (or reads saved evidence), judges, and writes the reports.
// A probed target is judged as soon as its probe ends, while the others are
// probed, and its evidence is then dropped (but for what the HTML report
// shows) unless --save-evidence or --save-jwks needs it; Ginkgo then
// reports the verdicts.
func (p *plan) execute(ctx context.Context, streams IO) error {
	// The checks of the relying parties asked for; a saved run's targets
	// say which they were.
	cat := suites.CatalogFor(p.parties)
	cfg := p.runner
	shown := map[int]*reports.TargetEvidence{}
	var run, judged *evidence.Run
	var err error
	if p.evidence != "" {
		if run, err = p.gather(ctx); err != nil {
			return err
		}
		judged = run
		cat = suites.CatalogFor(askedBy(run))
	} else {
		keep := p.save != "" || p.saveJWKS != ""
		cfg.Prejudged = make([]*runner.Prejudged, len(p.jobs))
		judged = &evidence.Run{Version: evidence.FormatVersion, Tool: "oidc-conformance/" + Version, Targets: make([]*evidence.Target, len(p.jobs))}
		var mu sync.Mutex
		run, err = p.probe(ctx, !keep, func(i int, t *evidence.Target) {
			pj := runner.Prejudge(t, cat)
			summary := reports.SummarizeEvidence(t)
			if !keep {
				// What the acceptance matrix reads after judging stays.
				t = &evidence.Target{Input: t.Input, ProbedAt: t.ProbedAt, Token: t.Token, IAM: t.IAM, STS: t.STS, Answers: t.Answers}
			}
			mu.Lock()
			defer mu.Unlock()
			cfg.Prejudged[i], shown[i], judged.Targets[i] = pj, summary, t
		})
		if err != nil {
			return err
		}
	}
	if p.save != "" {
		if err := writeFile(p.save, run.Write); err != nil {
			return faultf("--save-evidence: %w", err)
		}
	}
	if p.saveJWKS != "" && len(run.Targets) == 1 {
		if err := writeFile(p.saveJWKS, func(w io.Writer) error { return writeSavedJWKS(w, run.Targets[0]) }); err != nil {
			// The issuer served nothing to save: say so, judge anyway, and
			// make sure the run does not pass without the file asked for.
			fmt.Fprintf(streams.Err, "oidc-conformance: --save-jwks: %v\n", err)
			p.saveFailed = true
		}
	}
	run = nil // the evidence kept for the files above is not needed any more
	out, err := runner.Run(judged, cat, cfg)
	if err != nil {
		return faultf("run suites: %w", err)
	}
	res := reports.FromRun(out, cat)
	for i, e := range shown {
		res.Targets[i].Evidence = e
	}
	if p.shard != nil {
		res.Shard = &reports.Shard{Index: p.shard.index, Count: p.shard.count, Total: p.total}
	}
	res = reports.ApplyWaivers(res, p.waivers, time.Now())
	attachMatrix(&res, judged, cat)
	if err := writeConsole(streams.Out, res, p.console, p.color, p.annotate); err != nil {
		return err
	}
	if err := p.outputs.write(res); err != nil {
		return err
	}
	if id := out.Fault(); id != "" {
		return faultf("check %s panicked: a harness bug, not a verdict on the issuer (the reports mark it failed)", id)
	}
	if res.Rejected() || (p.anyFailure && res.Failed()) || p.saveFailed {
		return errChecksFailed
	}
	return nil
}

// gather reads the saved evidence of --evidence, through the bounded reader.
func (p *plan) gather(_ context.Context) (*evidence.Run, error) {
	f, err := infile.Open("--evidence", p.evidence, infile.Evidence)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	run, err := evidence.Read(f)
	if err != nil {
		return nil, fmt.Errorf("--evidence %s: %w", p.evidence, err)
	}
	return run, nil
}

// probe probes every job (the mock STS too, when asked), calling done with
// each target as its probe ends (from the probing goroutines); with forget
// the returned run holds no targets. --timeout bounds the whole run: the
// probe (verification included) stops a little early, so that judging and
// writing the reports fit.
func (p *plan) probe(ctx context.Context, forget bool, done func(int, *evidence.Target)) (*evidence.Run, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout+p.watch-judgeReserve(p.timeout))
	defer cancel()
	defer p.clients.closeIdle()
	for i := range p.jobs {
		p.jobs[i].Client = p.clients.forTarget(p.targets[i])
	}
	stop, err := p.sts.attach(p.jobs, p.targets, p.clients)
	if err != nil {
		return nil, err
	}
	defer stop()
	opts := probe.Options{Tool: "oidc-conformance/" + Version, Parallel: p.parallel, Done: done, Forget: forget}
	if p.fleetProgress != nil {
		opts.Done = func(i int, t *evidence.Target) { p.fleetProgress.probed(i, t); done(i, t) }
		defer p.fleetProgress.start()()
	}
	return probe.Run(ctx, p.jobs, opts), nil
}

// writeConsole prints the console listing asked for (full, fleet, or auto:
// fleet above reports.FleetThreshold targets) and, in GitHub Actions, the
// annotations.
func writeConsole(w io.Writer, res reports.Results, mode string, color, annotate bool) error {
	var err error
	switch mode {
	case "full":
		err = reports.WriteConsole(w, res, color)
	case "fleet":
		err = reports.WriteFleetConsole(w, res, color)
	default:
		err = reports.WriteConsoleAuto(w, res, color)
	}
	if err == nil && annotate {
		err = reports.WriteAnnotations(w, res)
	}
	if err != nil {
		return faultf("console report: %w", err)
	}
	return nil
}

// judgeReserve is the part of --timeout kept for judging and reporting
// after the probe: a tenth, at most a second.
func judgeReserve(timeout time.Duration) time.Duration { return min(time.Second, timeout/10) }

// dryRun lists the specs that would run, without probing or writing reports.
func dryRun(streams IO, p *plan) error {
	run := &evidence.Run{Version: evidence.FormatVersion}
	for _, j := range p.jobs {
		run.Targets = append(run.Targets, &evidence.Target{Input: j.Input})
	}
	if p.evidence != "" {
		var err error
		if run, err = p.gather(context.Background()); err != nil {
			return err
		}
	}
	cat := suites.CatalogFor(askedBy(run))
	out, err := runner.Preview(run, cat, p.runner)
	if err != nil {
		return faultf("preview: %w", err)
	}
	titles := make(map[string]string, len(cat))
	for _, c := range cat {
		titles[c.ID] = c.Title
	}
	n := 0
	for _, tv := range out.Targets {
		for _, v := range tv.Verdicts {
			if v.Selected {
				fmt.Fprintf(streams.Out, "%s  %s %s\n", tv.Target.Input.DisplayName(), v.ID, titles[v.ID])
				n++
			}
		}
	}
	fmt.Fprintf(streams.Out, "%d checks would run\n", n)
	return nil
}

// outputs are the report files asked for.
type outputs struct {
	Console, JUnit, JSON, Markdown, HTML string
}

// check makes sure every output can be written before anything is probed.
func (o outputs) check(save string) error {
	for _, f := range []struct{ flag, path string }{
		{"console report", o.Console}, {"--junit", o.JUnit}, {"--json", o.JSON}, {"--markdown", o.Markdown}, {"--html", o.HTML}, {"--save-evidence", save},
	} {
		if err := checkWritable(f.flag, f.path); err != nil {
			return err
		}
	}
	return nil
}

// write renders each report asked for, all at once (each reads res only):
// a fleet's reports are large, and the machine's cores render them side by
// side. The first failure, in the order below, is the one reported.
func (o outputs) write(res reports.Results) error {
	files := []struct {
		flag, path string
		render     func(io.Writer, reports.Results) error
	}{
		{"console report", o.Console, plainConsole},
		{"--junit", o.JUnit, reports.WriteJUnit},
		{"--json", o.JSON, reports.WriteJSON},
		{"--markdown", o.Markdown, reports.WriteMarkdown},
		{"--html", o.HTML, reports.WriteHTML},
	}
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		if f.path == "" {
			continue
		}
		wg.Go(func() {
			if err := writeFile(f.path, func(w io.Writer) error { return f.render(w, res) }); err != nil {
				errs[i] = faultf("%s: %w", f.flag, err)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// plainConsole is the console report without colour, for a file.
func plainConsole(w io.Writer, res reports.Results) error { return reports.WriteConsole(w, res, false) }
