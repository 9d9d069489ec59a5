package runner

import (
	"fmt"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// NotSelected is the message of a check the label filter or focus left out.
const NotSelected = "not selected"

// Verdict is one check's outcome for one target as a value, with how long
// its judge ran and a harness fault (a judge that panicked, or a target's
// spec that Ginkgo reports ended early) that made it fail whatever it had
// recorded.
type Verdict struct {
	check.Verdict
	// Duration is how long the check's judge ran (zero for a check that
	// was not judged).
	Duration time.Duration
	// Fault is Ginkgo's account of a harness fault in this check, or "".
	Fault string
	// Selected is false for a check the label filter or focus left out.
	Selected bool
}

// TargetVerdicts is every check's verdict for one target, in catalog order.
type TargetVerdicts struct {
	Target   *evidence.Target
	Verdicts []Verdict
}

// Outcome is a run's verdicts, targets in the run's order (the targets
// file's), and Ginkgo's own report of it.
type Outcome struct {
	Targets []TargetVerdicts
	Report  types.Report
}

// Fault returns the ID of a check whose judgement faulted, or "".
func (o Outcome) Fault() string {
	for _, t := range o.Targets {
		for _, v := range t.Verdicts {
			if v.Fault != "" {
				return v.ID
			}
		}
	}
	return ""
}

// table is the verdict slots of a run, one per target and check, filled
// by the targets' specs (values) and then by Ginkgo's report (faults that
// ended a spec early). Each target's spec carries its target's number as
// its code location's line, so a spec report is matched to its target
// without reading its text.
type table struct {
	out []TargetVerdicts
	cat check.Catalog
	cfg Config
	// res is each target's resolver, made when its spec runs.
	res []*resolver
	// ended says which targets' specs reported every selected check.
	ended []bool
}

func newTable(run *evidence.Run, cat check.Catalog, cfg Config, sel *selection) *table {
	t := &table{out: make([]TargetVerdicts, len(run.Targets)), cat: cat, cfg: cfg,
		res: make([]*resolver, len(run.Targets)), ended: make([]bool, len(run.Targets))}
	for i, tg := range run.Targets {
		name := tg.Input.DisplayName()
		vs := make([]Verdict, len(cat))
		for j, c := range cat {
			vs[j].Verdict = check.Verdict{ID: c.ID, Status: check.Skipped, Message: NotSelected}
			vs[j].Selected = sel.selected(name, j, c)
		}
		t.out[i] = TargetVerdicts{Target: tg, Verdicts: vs}
	}
	return t
}

// outcome is the outcome of check j of target i: Prejudged, or judged now
// by the target's resolver (made when its spec runs).
func (t *table) outcome(i, j int) outcome {
	if i < len(t.cfg.Prejudged) && t.cfg.Prejudged[i] != nil {
		return t.cfg.Prejudged[i].outcomes[j]
	}
	if t.res[i] == nil {
		t.res[i] = newResolver(t.out[i].Target, t.cat)
	}
	return t.res[i].resolve(t.cat[j].ID)
}

// slotFile is the file name of every target spec's code location.
const slotFile = "oidc-conformance target"

// location is the code location that names target i.
func (t *table) location(i int) types.CodeLocation {
	return types.CodeLocation{FileName: slotFile, LineNumber: i + 1}
}

// target returns the number of the target a spec report belongs to, or -1.
func (t *table) target(s types.SpecReport) int {
	n := s.LeafNodeLocation.LineNumber - 1
	if s.LeafNodeLocation.FileName != slotFile || n < 0 || n >= len(t.out) {
		return -1
	}
	return n
}

// report is target i's spec: it records the resolved outcome of each
// selected check as its verdict, then tells Ginkgo how the target went. A
// judge's panic is recorded as a harness fault of its check and re-raised
// (the first one) once every check is recorded, so Ginkgo reports the
// target's spec panicked; failed checks fail the spec; a target with no
// check selected is skipped.
func (t *table) report(i int) {
	var failed []string
	var panicked *outcome
	selected := 0
	for j, c := range t.cat {
		v := &t.out[i].Verdicts[j]
		if !v.Selected {
			continue
		}
		selected++
		o := t.outcome(i, j)
		v.Duration = o.took
		f := o.finding
		switch {
		case o.panicked:
			v.Fault = fmt.Sprintf("the judge panicked: %v", o.panicVal)
			f = check.Finding{Status: check.Failed, Message: v.Fault}
			if panicked == nil {
				panicked = &o
			}
		case t.cfg.Strict && f.Status == check.Warning:
			f = check.Failf("(strict: warning) %s", f.Message)
		}
		v.Verdict = check.Verdict{ID: c.ID, Status: f.Status, Message: f.Message, BlockedBy: f.BlockedBy}
		if f.Status == check.Failed {
			failed = append(failed, c.ID)
		}
	}
	t.ended[i] = true
	switch {
	case panicked != nil:
		panic(panicked.panicVal)
	case len(failed) > 0:
		ginkgo.Fail(fmt.Sprintf("%d checks failed: %s", len(failed), strings.Join(failed, ", ")))
	case selected == 0:
		ginkgo.Skip(NotSelected)
	}
}

// collect adds what Ginkgo's report knows to the verdicts: a fault (a
// timeout, an interrupt, a panic outside a judge) that ended a target's
// spec before it reported its checks fails every selected check not
// already failed.
func (t *table) collect(r types.Report) {
	for _, s := range r.SpecReports {
		i := t.target(s)
		if i < 0 || t.ended[i] || !s.State.Is(types.SpecStateFailureStates) {
			continue
		}
		fault := ginkgoFailure(s)
		for j := range t.out[i].Verdicts {
			v := &t.out[i].Verdicts[j]
			if v.Selected && v.Status != check.Failed {
				v.Fault = fault
				v.Status, v.Message, v.BlockedBy = check.Failed, fault, ""
			}
		}
	}
}

// ginkgoFailure is Ginkgo's account of a failed spec, with the panic value
// when the spec panicked.
func ginkgoFailure(s types.SpecReport) string {
	msg := s.Failure.Message
	if msg == "" {
		msg = "spec " + s.State.String()
	}
	if s.Failure.ForwardedPanic != "" {
		msg += ": " + s.Failure.ForwardedPanic
	}
	return msg
}
