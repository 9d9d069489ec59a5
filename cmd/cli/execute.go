package cli

import (
	"bytes"
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/reports"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// clientConfig is what the command line sets on the bounded HTTP client.
type clientConfig struct {
	resolve map[string][]string
	roots   []*x509.Certificate
}

// newClient builds the one HTTP client of a run; each request's limit is
// also held under the run's overall timeout.
func (c clientConfig) newClient(timeout time.Duration) *fetch.Client {
	return fetch.New(fetch.Options{
		RequestTimeout: min(fetch.DefaultRequestTimeout, timeout),
		Resolve:        c.resolve,
		ExtraRoots:     c.roots,
		UserAgent:      "oidc-conformance/" + Version,
	})
}

// execute probes (or reads saved evidence), judges, and writes the reports.
func (p *plan) execute(ctx context.Context, streams IO) error {
	run, err := p.gather(ctx)
	if err != nil {
		return err
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
	cat := suites.CatalogFor(askedBy(run))
	report, err := runner.Run(run, cat, p.runner)
	if err != nil {
		return faultf("run suites: %w", err)
	}
	res := reports.FromGinkgo(report, cat)
	attachMatrix(&res, run, cat)
	if err := reports.WriteConsole(streams.Out, res, p.color); err != nil {
		return faultf("console report: %w", err)
	}
	if err := p.outputs.write(res); err != nil {
		return err
	}
	if id := panicked(report); id != "" {
		return faultf("check %s panicked: a harness bug, not a verdict on the issuer (the reports mark it failed)", id)
	}
	if res.Rejected() || (p.anyFailure && res.Failed()) || p.saveFailed {
		return errChecksFailed
	}
	return nil
}

// gather returns the evidence: read from a file, or probed now.
func (p *plan) gather(ctx context.Context) (*evidence.Run, error) {
	if p.evidence != "" {
		f, err := os.Open(p.evidence)
		if err != nil {
			return nil, fmt.Errorf("--evidence: %w", err)
		}
		defer f.Close()
		run, err := evidence.Read(f)
		if err != nil {
			return nil, fmt.Errorf("--evidence %s: %w", p.evidence, err)
		}
		return run, nil
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout+p.watch)
	defer cancel()
	if p.sts != nil {
		stop, err := p.sts.attach(p.jobs, p.client.resolve)
		if err != nil {
			return nil, err
		}
		defer stop()
	}
	client := p.client.newClient(p.timeout)
	defer client.CloseIdle()
	return probe.Run(ctx, client, p.jobs, "oidc-conformance/"+Version), nil
}

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
	report, err := runner.Preview(run, suites.CatalogFor(askedBy(run)), p.runner)
	if err != nil {
		return faultf("preview: %w", err)
	}
	n := 0
	for _, s := range report.SpecReports {
		if s.LeafNodeType != types.NodeTypeIt || s.State == types.SpecStateSkipped {
			continue
		}
		target := ""
		if k := len(s.ContainerHierarchyTexts); k > 0 {
			target = s.ContainerHierarchyTexts[k-1]
		}
		fmt.Fprintf(streams.Out, "%s  %s\n", target, s.LeafNodeText)
		n++
	}
	fmt.Fprintf(streams.Out, "%d checks would run\n", n)
	return nil
}

// outputs are the report files asked for.
type outputs struct {
	Console, JUnit, JSON, Markdown string
}

// check makes sure every output can be written before anything is probed.
func (o outputs) check(save string) error {
	for _, f := range []struct{ flag, path string }{
		{"console report", o.Console}, {"--junit", o.JUnit}, {"--json", o.JSON}, {"--markdown", o.Markdown}, {"--save-evidence", save},
	} {
		if err := checkWritable(f.flag, f.path); err != nil {
			return err
		}
	}
	return nil
}

// write renders each report asked for.
func (o outputs) write(res reports.Results) error {
	for _, f := range []struct {
		flag, path string
		render     func(io.Writer, reports.Results) error
	}{
		{"console report", o.Console, plainConsole},
		{"--junit", o.JUnit, reports.WriteJUnit},
		{"--json", o.JSON, reports.WriteJSON},
		{"--markdown", o.Markdown, reports.WriteMarkdown},
	} {
		if f.path == "" {
			continue
		}
		if err := writeFile(f.path, func(w io.Writer) error { return f.render(w, res) }); err != nil {
			return faultf("%s: %w", f.flag, err)
		}
	}
	return nil
}

// writeFile renders into memory first so a failed render leaves no half file.
func writeFile(path string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// plainConsole is the console report without colour, for a file.
func plainConsole(w io.Writer, res reports.Results) error { return reports.WriteConsole(w, res, false) }

// panicked returns the ID of a check whose judgement panicked, or "".
func panicked(r types.Report) string {
	for _, s := range r.SpecReports {
		if s.State == types.SpecStatePanicked {
			if f := strings.Fields(s.LeafNodeText); len(f) > 0 {
				return f[0]
			}
			return "?"
		}
	}
	return ""
}
