package runner

import (
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// NotSelected is the message of a check the label filter or focus left out.
const NotSelected = "not selected"

// Verdict is one check's outcome for one target as a value, with what
// Ginkgo's report adds: how long the spec ran, and a harness fault (a judge
// that panicked or timed out) that made it fail whatever it had recorded.
type Verdict struct {
	check.Verdict
	// Duration is the spec's run time as Ginkgo measured it.
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

// table is the verdict slots of a run, one per target and check, filled by
// the specs (values) and then by Ginkgo's report (timings, faults). Each spec
// carries its slot number as its code location's line, so a spec report is
// matched to its slot without reading its text, and Ginkgo's sort of the
// specs by location finds them already in order (a fleet has tens of
// thousands; an unsorted order costs seconds).
type table struct {
	checks int
	out    []TargetVerdicts
	cat    check.Catalog
	cfg    Config
	// res is each target's resolver, made when its first check runs.
	res []*resolver
}

func newTable(run *evidence.Run, cat check.Catalog, cfg Config) *table {
	t := &table{checks: len(cat), out: make([]TargetVerdicts, len(run.Targets)), cat: cat, cfg: cfg, res: make([]*resolver, len(run.Targets))}
	for i, tg := range run.Targets {
		vs := make([]Verdict, len(cat))
		for j, c := range cat {
			vs[j].Verdict = check.Verdict{ID: c.ID, Status: check.Skipped, Message: NotSelected}
		}
		t.out[i] = TargetVerdicts{Target: tg, Verdicts: vs}
	}
	return t
}

// resolver returns target i's resolver: its Prejudged one, or one made
// when its first check runs.
func (t *table) resolver(i int) *resolver {
	if t.res[i] == nil {
		if i < len(t.cfg.Prejudged) && t.cfg.Prejudged[i] != nil {
			t.res[i] = t.cfg.Prejudged[i].r
		} else {
			t.res[i] = newResolver(t.out[i].Target, t.cat)
		}
	}
	return t.res[i]
}

// slotFile is the file name of every check spec's code location.
const slotFile = "oidc-conformance check"

// location is the code location that names slot (target i, check j).
func (t *table) location(i, j int) types.CodeLocation {
	return types.CodeLocation{FileName: slotFile, LineNumber: i*t.checks + j + 1}
}

// slot returns the verdict a spec report belongs to, or nil.
func (t *table) slot(s types.SpecReport) *Verdict {
	n := s.LeafNodeLocation.LineNumber - 1
	if s.LeafNodeLocation.FileName != slotFile || t.checks == 0 || n < 0 || n >= len(t.out)*t.checks {
		return nil
	}
	return &t.out[n/t.checks].Verdicts[n%t.checks]
}

// collect adds what Ginkgo's report knows to the verdicts: run times, which
// specs ran, and faults (a panic, a timeout) that fail a check whatever it
// recorded.
func (t *table) collect(r types.Report, preview bool) {
	for _, s := range r.SpecReports {
		v := t.slot(s)
		if v == nil {
			continue
		}
		v.Duration = s.RunTime
		if preview {
			v.Selected = s.State != types.SpecStateSkipped
			continue
		}
		if s.State.Is(types.SpecStateFailureStates) && v.Status != check.Failed {
			v.Fault = ginkgoFailure(s)
		}
		if s.State == types.SpecStatePanicked {
			v.Fault = ginkgoFailure(s)
		}
		if v.Fault != "" {
			v.Status, v.Message, v.BlockedBy = check.Failed, v.Fault, ""
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
