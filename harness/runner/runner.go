// Package runner turns evidence and a check catalog into Ginkgo specs, one per
// target, and runs them in-process with Ginkgo's RunSpecs; which checks run
// is Ginkgo's label filter and focus, applied per check (selection.go). Ginkgo
// runs a suite once per process, so Run (or Preview followed by Run) is called
// once by a command; tests of the judgements call them directly instead.
package runner

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// SuiteName is the description Ginkgo reports for the run.
const SuiteName = "OIDC conformance"

// Config is what the command line can change about a run.
type Config struct {
	// LabelFilter is a Ginkgo label expression over areas, severities,
	// profiles and check IDs, e.g. "discovery && fail".
	LabelFilter string
	// Focus runs only specs whose text matches one of these regular expressions.
	Focus []string
	// Strict turns warnings into failures.
	Strict bool
	// Output receives Ginkgo's own progress output. Nil: discarded (the
	// command prints its own console report).
	Output io.Writer
	// Prejudged, when set, holds targets judged ahead of Run (Prejudge,
	// called as each probe ended, while the others were being probed), in
	// the run's order; Run reports their verdicts through Ginkgo without
	// judging again. A nil entry is judged by Run.
	Prejudged []*Prejudged
}

// ValidateLabelFilter reports a label filter Ginkgo would reject (Ginkgo
// itself exits the process on one, so the command checks first).
func ValidateLabelFilter(expr string) error {
	_, err := types.ParseLabelFilter(expr)
	var ge types.GinkgoError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ge):
		// Ginkgo's message is coloured and multi-line; keep its words.
		return fmt.Errorf("label filter %q: %s: %s", expr, ge.Heading, strings.Join(strings.Fields(ge.Message), " "))
	}
	return fmt.Errorf("label filter %q: %w", expr, err)
}

// Run judges every target with every check through Ginkgo and returns the
// verdicts, in the run's target order and the catalog's check order, with
// Ginkgo's report. It must be called at most once per process.
func Run(run *evidence.Run, cat check.Catalog, cfg Config) (Outcome, error) {
	return execute(run, cat, cfg, false)
}

// Preview returns the outcome of a dry run: Selected says which checks would
// run; nothing is judged. It may be called before Run.
func Preview(run *evidence.Run, cat check.Catalog, cfg Config) (Outcome, error) {
	return execute(run, cat, cfg, true)
}

func execute(run *evidence.Run, cat check.Catalog, cfg Config, preview bool) (Outcome, error) {
	if err := ValidateLabelFilter(cfg.LabelFilter); err != nil {
		return Outcome{}, err
	}
	sel, err := newSelection(cat, cfg)
	if err != nil {
		return Outcome{}, fmt.Errorf("select checks: %w", err)
	}
	// The label filter and focus are applied per check (selection), so
	// Ginkgo itself is given neither: each of its specs is a target.
	sc, rc := ginkgo.GinkgoConfiguration()
	sc.RandomSeed = 1
	sc.RandomizeAllSpecs = false
	sc.Timeout = time.Hour
	rc.NoColor = true
	rc.Succinct = true
	rc.SilenceSkips = true
	out := cfg.Output
	if out == nil {
		out = io.Discard
	}
	// Ginkgo's default reporter writes to this package variable; the harness
	// prints its own reports, so Ginkgo's goes where the caller says.
	formatter.ColorableStdOut = out

	var report types.Report
	ginkgo.ReportAfterSuite("collect", func(r ginkgo.Report) { report = r })
	tab := newTable(run, cat, cfg, sel)
	declare(tab)
	if preview {
		report = ginkgo.PreviewSpecs(SuiteName, sc, rc)
	} else {
		ginkgo.RunSpecs(&failer{}, SuiteName, sc, rc)
		tab.collect(report)
	}
	return Outcome{Targets: tab.out, Report: report}, nil
}

// failer satisfies ginkgo.GinkgoTestingT; the outcome is read from the report.
type failer struct{}

// Fail is called by Ginkgo when a spec failed; the report says which.
func (*failer) Fail() {}

// containerText is the text of the one top-level container.
const containerText = "oidc-conformance"

// declare builds the spec tree: one top-level container (so the order is
// stable) and one spec per target, which records its checks' verdicts in
// tab as values (a fleet of a thousand targets is a thousand specs, not
// tens of thousands). Its code location names the target for Ginkgo's
// report.
func declare(tab *table) {
	ginkgo.Describe(containerText, func() {
		for i, tv := range tab.out {
			ginkgo.It(tv.Target.Input.DisplayName(), tab.location(i), func() { tab.report(i) })
		}
	})
}

// Judge applies c to t, skipping checks outside the target's profiles.
func Judge(c check.Check, t *evidence.Target) check.Finding {
	if !applies(c, t.Input) {
		return check.Skip("not part of the %s profile", t.Input.Profile)
	}
	return c.Judge(t)
}

// applies reports whether c belongs to the target's profile or to the
// profile of one of the relying parties asked for.
func applies(c check.Check, in evidence.Input) bool {
	if c.AppliesTo(check.Profile(in.Profile)) {
		return true
	}
	for _, p := range in.Profiles {
		if c.AppliesTo(check.Profile(p)) {
			return true
		}
	}
	return false
}
