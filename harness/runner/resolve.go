package runner

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// resolver judges the checks of one target at most once each, in whatever
// order the specs ask, resolving each check's prerequisites first: a check
// whose prerequisite failed is Blocked by the root failure and its judge is
// never called. A label filter or focus that leaves a prerequisite out does
// not change the verdicts of the checks that run.
type resolver struct {
	target *evidence.Target
	byID   map[string]check.Check
	done   map[string]outcome
	// busy are the checks being resolved: a RootOf naming one of them is
	// ignored rather than followed round a loop.
	busy map[string]bool
}

// outcome is a judged check: its finding, or the panic its judge raised (the
// spec of that check re-raises it; checks that require it are blocked).
type outcome struct {
	finding  check.Finding
	panicked bool
	panicVal any
	// took is how long the judge ran.
	took time.Duration
}

// newResolver returns a resolver of cat's checks for t.
func newResolver(t *evidence.Target, cat check.Catalog) *resolver {
	r := &resolver{target: t, byID: make(map[string]check.Check, len(cat)), done: make(map[string]outcome, len(cat)), busy: map[string]bool{}}
	for _, c := range cat {
		r.byID[c.ID] = c
	}
	return r
}

// resolve returns the outcome of check id, judging its prerequisites first.
// The catalog is acyclic (check.Catalog.Validate).
func (r *resolver) resolve(id string) outcome {
	if o, ok := r.done[id]; ok {
		return o
	}
	c := r.byID[id]
	r.busy[id] = true
	defer delete(r.busy, id)
	o := outcome{}
	if root := r.blocker(c); root != "" {
		o.finding = check.Blocked(root)
	} else {
		o = r.judge(c)
	}
	if root := r.rootOf(c, o); root != "" {
		o.finding = check.Finding{Status: check.Skipped, BlockedBy: root,
			Message: "not judged: " + root + " failed, and this answer follows from it: " + o.finding.Message}
	}
	r.done[id] = o
	return o
}

// rootOf returns the root failure that explains c's failure o (the first
// of c.RootOf's checks that failed, or the root that blocked it), or "".
func (r *resolver) rootOf(c check.Check, o outcome) string {
	if c.RootOf == nil || o.panicked || o.finding.Status != check.Failed {
		return ""
	}
	for _, id := range c.RootOf(r.target) {
		if _, known := r.byID[id]; !known || r.busy[id] {
			continue
		}
		switch ro := r.resolve(id); {
		case ro.panicked || ro.finding.Status == check.Failed:
			return id
		case ro.finding.BlockedBy != "":
			return ro.finding.BlockedBy
		}
	}
	return ""
}

// blocker returns the root failure among c's prerequisites, or "": a
// prerequisite that failed (or panicked) is the root itself; one that was
// blocked passes on its own root.
func (r *resolver) blocker(c check.Check) string {
	for _, req := range c.Requires {
		if _, known := r.byID[req]; !known {
			continue
		}
		o := r.resolve(req)
		switch {
		case o.panicked || o.finding.Status == check.Failed:
			return req
		case o.finding.BlockedBy != "":
			return o.finding.BlockedBy
		}
	}
	return ""
}

// judge calls c's judge, catching a panic so that it is reported in c's own
// spec, not in the spec of a check that required c.
func (r *resolver) judge(c check.Check) (o outcome) {
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			o = outcome{panicked: true, panicVal: v}
		}
		o.took = time.Since(start)
	}()
	f := Judge(c, r.target)
	f.Message = bounded(f.Message)
	if !c.Permits(f.Status) {
		f = check.Failf("harness fault: %s concluded %s, above what its catalog severity %s permits (%s)", c.ID, f.Status, c.Severity, f.Message)
	}
	return outcome{finding: f}
}

// MaxMessage is the longest finding message a report carries: a judge
// quoting a hostile value (an aud of thousands of entries, a megabyte
// claim) is cut there, whole characters, with the length left out said.
const MaxMessage = 4096

// bounded cuts msg to MaxMessage bytes.
func bounded(msg string) string {
	if len(msg) <= MaxMessage {
		return msg
	}
	cut := MaxMessage
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", msg[:cut], len(msg)-cut)
}

// JudgeTarget judges every check of cat on t as Run does (prerequisites
// first, each check once) but without Ginkgo, for benchmarks and for code
// that must judge more than once per process. A judge's panic is recorded
// as a failure of its check.
func JudgeTarget(t *evidence.Target, cat check.Catalog) []check.Verdict {
	r := newResolver(t, cat)
	out := make([]check.Verdict, 0, len(cat))
	for _, c := range cat {
		o := r.resolve(c.ID)
		f := o.finding
		if o.panicked {
			f = check.Failf("judge panicked: %v", o.panicVal)
		}
		out = append(out, check.Verdict{ID: c.ID, Status: f.Status, Message: f.Message, BlockedBy: f.BlockedBy})
	}
	return out
}

// Prejudged is a target whose every check was judged ahead of Run: the
// outcomes alone, in catalog order (neither the evidence nor the resolver's
// maps are kept).
type Prejudged struct {
	outcomes []outcome
}

// Prejudge judges every check of cat on t now, as Run would (prerequisites
// first, a judge's panic kept for its check to report as a fault), so Run's
// specs only report the verdicts: a fleet's targets are judged as their
// probes end, on the probing goroutines, while the others are probed. cat
// must be the catalog Run is given.
func Prejudge(t *evidence.Target, cat check.Catalog) *Prejudged {
	r := newResolver(t, cat)
	p := &Prejudged{outcomes: make([]outcome, len(cat))}
	for j, c := range cat {
		p.outcomes[j] = r.resolve(c.ID)
	}
	return p
}
