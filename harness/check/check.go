// Package check defines the vocabulary every suite, report and command shares:
// a check's catalog entry, the severity and status of a verdict, and the
// Finding a judgement returns.
package check

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Severity is how much a failed check matters.
type Severity string

// Severities, from CHECKS.md.
const (
	// Fail: STS or a conforming relying party would reject, or a spec MUST is broken.
	Fail Severity = "FAIL"
	// Warn: risky, a SHOULD, or undocumented AWS behaviour that broke real users.
	Warn Severity = "WARN"
	// Info: a fact worth showing.
	Info Severity = "INFO"
)

// Status is the outcome of one check against one target.
type Status string

// Statuses as they appear in every report.
const (
	Passed  Status = "passed"
	Failed  Status = "failed"
	Warning Status = "warning"
	Skipped Status = "skipped"
)

// Profile selects which rules apply to an issuer.
type Profile string

// Profiles.
const (
	// AWS is what IAM and STS enforce (the default).
	AWS Profile = "aws"
	// Kubernetes is a service-account issuer (kube-apiserver, EKS).
	Kubernetes Profile = "kubernetes"
	// OIDC is generic OpenID Connect Discovery.
	OIDC Profile = "oidc"
)

// AllProfiles lists every profile.
var AllProfiles = []Profile{AWS, Kubernetes, OIDC}

// ParseProfile returns the profile named s, or an error naming the choices.
func ParseProfile(s string) (Profile, error) {
	for _, p := range AllProfiles {
		if string(p) == s {
			return p, nil
		}
	}
	return "", fmt.Errorf("unknown profile %q (want aws, kubernetes or oidc)", s)
}

// Finding is what a judgement concluded.
type Finding struct {
	Status  Status
	Message string
	// BlockedBy is, for a check skipped because a check it requires failed,
	// the ID of that failed check: the root cause, however deep the chain of
	// prerequisites. Empty otherwise.
	BlockedBy string
}

// Pass is a passed finding with a message saying what was seen.
func Pass(format string, a ...any) Finding {
	return Finding{Status: Passed, Message: fmt.Sprintf(format, a...)}
}

// Failf is a failed finding.
func Failf(format string, a ...any) Finding {
	return Finding{Status: Failed, Message: fmt.Sprintf(format, a...)}
}

// Warnf is a warning finding.
func Warnf(format string, a ...any) Finding {
	return Finding{Status: Warning, Message: fmt.Sprintf(format, a...)}
}

// Skip is a finding for a check that could not be judged because it does not
// apply or its input is absent. A check skipped because a prerequisite failed
// is Blocked: the runner does that for the catalog's Requires.
func Skip(format string, a ...any) Finding {
	return Finding{Status: Skipped, Message: fmt.Sprintf(format, a...)}
}

// Blocked is the finding of a check not judged because the check root, which
// it requires directly or through other checks, failed. The runner returns it
// for Check.Requires; a judge returns it itself only for a finer-grained
// prerequisite than a whole check (TOK-004 when the one key it needs is the
// key JWKS-003 failed), so the report still names the root.
func Blocked(root string) Finding {
	return Finding{Status: Skipped, Message: "not judged: " + root + " failed", BlockedBy: root}
}

// Judge decides one check from the evidence of one target. It does no I/O.
type Judge func(t *evidence.Target) Finding

// Check is one entry of the catalog: what is checked, why, and how to fix it.
type Check struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Area        string    `json:"area"`
	Severity    Severity  `json:"severity"`
	Profiles    []Profile `json:"profiles"`
	Reference   string    `json:"reference"`
	Remediation string    `json:"remediation"`
	// Requires are the IDs of the checks whose rule must hold for this check
	// to be judged at all (TOK-004 needs the key TOK-003 selects). When one of
	// them fails, the runner reports this check as skipped, "not judged: <ID>
	// failed", without calling Judge, so each defect fails once, at its root.
	// A prerequisite that passed, warned or was skipped for its own reasons
	// does not block: the judge copes with absent evidence itself.
	Requires []string `json:"requires,omitempty"`
	// WarnsWhen, for a FAIL check only, says when it reports a warning
	// rather than a failure: the one documented exception to "the severity is
	// the status a check reports when its rule is broken" (the evidence may be
	// the network's fault, or the rule is moot for this issuer). Empty: a FAIL
	// check never warns. See Permits.
	WarnsWhen string `json:"warns_when,omitempty"`
	// RootOf, for a check that observes a relying party's answer (STS-001:
	// what STS said) or whose rule a more general one explains on some
	// targets (TOK-001 on a JWE: TOK-012), names the checks whose rules
	// would explain a failure on this target, most specific first (none:
	// nothing explains it).
	// When the check fails and one of them failed too, the runner reports
	// this one skipped, blocked by the first that failed (or its root), with
	// its message kept: the defect is reported once, and the relying party's
	// answer confirms it. Nil: no such root.
	RootOf func(t *evidence.Target) []string `json:"-"`
	Judge  Judge                             `json:"-"`
}

// Permits reports whether a judge of c may conclude st. The catalog severity
// is the highest status a check reaches, so that a label filter on severity
// and every report's severity column tell the truth: an INFO check only
// passes (it states a fact), a WARN check at most warns, and a FAIL check
// fails, or warns only where WarnsWhen documents it. Skipped and passed are
// always permitted. The runner reports a judge that breaks this as a harness
// fault.
func (c Check) Permits(st Status) bool {
	switch st {
	case Passed, Skipped:
		return true
	case Warning:
		return c.Severity == Warn || (c.Severity == Fail && c.WarnsWhen != "")
	case Failed:
		return c.Severity == Fail
	}
	return false
}

// AppliesTo reports whether the check runs under profile p.
func (c Check) AppliesTo(p Profile) bool {
	for _, q := range c.Profiles {
		if q == p {
			return true
		}
	}
	return false
}

// Catalog is the list of every check, in ID order within its area.
type Catalog []Check

// Lookup returns the check with the given ID.
func (c Catalog) Lookup(id string) (Check, bool) {
	for _, k := range c {
		if k.ID == id {
			return k, true
		}
	}
	return Check{}, false
}

// Validate reports a duplicate or malformed entry: the catalog is code, so a
// mistake in it is a programming error caught by tests.
func (c Catalog) Validate() error {
	seen := map[string]bool{}
	for _, k := range c {
		switch {
		case k.ID == "" || k.Title == "" || k.Area == "" || k.Reference == "" || k.Remediation == "":
			return fmt.Errorf("check %q: empty field", k.ID)
		case seen[k.ID]:
			return fmt.Errorf("check %q: duplicate ID", k.ID)
		case k.Judge == nil:
			return fmt.Errorf("check %q: no judge", k.ID)
		case len(k.Profiles) == 0:
			return fmt.Errorf("check %q: no profile", k.ID)
		case k.WarnsWhen != "" && k.Severity != Fail:
			return fmt.Errorf("check %q: WarnsWhen on a %s check (only a FAIL check may warn below its severity)", k.ID, k.Severity)
		}
		switch k.Severity {
		case Fail, Warn, Info:
		default:
			return fmt.Errorf("check %q: bad severity %q", k.ID, k.Severity)
		}
		seen[k.ID] = true
	}
	for _, k := range c {
		for _, r := range k.Requires {
			if !seen[r] {
				return fmt.Errorf("check %q: requires unknown check %q", k.ID, r)
			}
		}
	}
	return c.acyclic()
}

// ValidatePart is Validate for one area's part of the catalog: a
// prerequisite outside the part is taken to exist (the whole catalog's
// Validate checks it), so an area's tests validate what the area declares.
func (c Catalog) ValidatePart() error {
	own := map[string]bool{}
	for _, k := range c {
		own[k.ID] = true
	}
	part := make(Catalog, len(c))
	for i, k := range c {
		k.Requires = slices.DeleteFunc(slices.Clone(k.Requires), func(id string) bool { return !own[id] })
		part[i] = k
	}
	return part.Validate()
}

// acyclic reports a cycle among the checks' prerequisites.
func (c Catalog) acyclic() error {
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	byID := map[string]Check{}
	for _, k := range c {
		byID[k.ID] = k
	}
	var visit func(id string, path []string) error
	visit = func(id string, path []string) error {
		switch state[id] {
		case visiting:
			return fmt.Errorf("checks require each other: %s", strings.Join(append(path, id), " -> "))
		case done:
			return nil
		}
		state[id] = visiting
		for _, r := range byID[id].Requires {
			if err := visit(r, append(path, id)); err != nil {
				return err
			}
		}
		state[id] = done
		return nil
	}
	for _, k := range c {
		if err := visit(k.ID, nil); err != nil {
			return err
		}
	}
	return nil
}

// IDs returns the sorted IDs of the catalog.
func (c Catalog) IDs() []string {
	ids := make([]string, 0, len(c))
	for _, k := range c {
		ids = append(ids, k.ID)
	}
	sort.Strings(ids)
	return ids
}
