// Package runner turns evidence and a check catalog into Ginkgo specs, one per
// check and target, and runs them in-process with Ginkgo's RunSpecs. Ginkgo
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
	sc, rc := ginkgo.GinkgoConfiguration()
	sc.LabelFilter = cfg.LabelFilter
	sc.FocusStrings = cfg.Focus
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
	tab := newTable(run, cat, cfg)
	declare(tab, cat, cfg)
	if preview {
		report = ginkgo.PreviewSpecs(SuiteName, sc, rc)
	} else {
		ginkgo.RunSpecs(&failer{}, SuiteName, sc, rc)
	}
	tab.collect(report, preview)
	return Outcome{Targets: tab.out, Report: report}, nil
}

// failer satisfies ginkgo.GinkgoTestingT; the outcome is read from the report.
type failer struct{}

// Fail is called by Ginkgo when a spec failed; the report says which.
func (*failer) Fail() {}

// declare builds the spec tree: one top-level container (so the order is
// stable), one container per target, one spec per check.
// Each spec writes its verdict into its slot of tab as a value; its code
// location names the slot for Ginkgo's report.
func declare(tab *table, cat check.Catalog, cfg Config) {
	ginkgo.Describe("oidc-conformance", func() {
		for i, tv := range tab.out {
			ginkgo.Describe(tv.Target.Input.DisplayName(), func() {
				for j, c := range cat {
					v := &tv.Verdicts[j]
					ginkgo.It(c.ID+" "+c.Title, labels(c), tab.location(i, j), func() {
						report(v, c, tab.resolver(i).resolve(c.ID), cfg.Strict)
					})
				}
			})
		}
	})
}

// labels are the check's area, severity, profiles and ID.
func labels(c check.Check) ginkgo.Labels {
	l := ginkgo.Label(c.Area, strings.ToLower(string(c.Severity)), c.ID)
	for _, p := range c.Profiles {
		l = append(l, string(p))
	}
	return l
}

// report records one check's resolved outcome as its verdict in v and
// reports it to Ginkgo; a judge's panic is re-raised here, in the check's own
// spec (Ginkgo's report then marks the slot faulted).
func report(v *Verdict, c check.Check, o outcome, strict bool) {
	v.Selected = true
	if o.panicked {
		panic(o.panicVal)
	}
	f := o.finding
	if strict && f.Status == check.Warning {
		f = check.Failf("(strict: warning) %s", f.Message)
	}
	v.Verdict = check.Verdict{ID: c.ID, Status: f.Status, Message: f.Message, BlockedBy: f.BlockedBy}
	// A skipped check's spec simply returns: the verdict says skipped, and
	// ginkgo.Skip's stack capture costs more than the judgement (tens of
	// thousands of skips in a fleet). A failure is reported to Ginkgo too.
	if f.Status == check.Failed {
		ginkgo.Fail(f.Message)
	}
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
