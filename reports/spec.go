package reports

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// noVerdictSkip is the message of a check Ginkgo skipped before it could record
// a verdict: a label filter or focus left it out.
const noVerdictSkip = "not selected"

// fromSpec turns one It spec into the issuer it was run against and its Result.
func fromSpec(spec types.SpecReport, cat check.Catalog) (string, Result) {
	id, title := splitLeafText(spec.LeafNodeText)
	res := Result{ID: id, Title: title, Duration: spec.RunTime}
	if c, ok := cat.Lookup(id); ok {
		res.Title = c.Title
		res.Area = c.Area
		res.Severity = c.Severity
		res.Remediation = c.Remediation
		res.Reference = c.Reference
	}
	v, found, err := verdictOf(spec)
	res.Status, res.Message = outcome(spec, v, found, err)
	if res.Status == check.Skipped && found {
		res.BlockedBy = v.BlockedBy
	}

	var issuer string
	if n := len(spec.ContainerHierarchyTexts); n > 0 {
		issuer = spec.ContainerHierarchyTexts[n-1]
	} else if found {
		issuer = v.Target
	}
	return issuer, res
}

// splitLeafText splits "<ID> <title>" at its first space.
func splitLeafText(text string) (id, title string) {
	id, title, _ = strings.Cut(strings.TrimSpace(text), " ")
	return id, strings.TrimSpace(title)
}

// outcome decides a spec's status and message:
//
//   - a verdict that cannot be decoded, or whose status is not one of the four
//     known ones, fails the check (the runner is broken; say so, never pass);
//   - a spec Ginkgo failed, panicked, timed out, interrupted or aborted fails
//     with Ginkgo's message unless its verdict already says failed (a panic or
//     timeout in a judgement is a failure, whatever was recorded before it);
//   - otherwise the verdict's status and message stand;
//   - with no verdict, a skipped or pending spec is skipped with Ginkgo's
//     message, or "not selected" when Ginkgo gives none (label filter, focus);
//   - a spec that passed without recording a verdict fails: a report must
//     never claim a pass nothing judged.
func outcome(spec types.SpecReport, v check.Verdict, found bool, err error) (check.Status, string) {
	switch {
	case err != nil:
		return check.Failed, err.Error()
	case spec.State.Is(types.SpecStateFailureStates) && (!found || v.Status != check.Failed):
		return check.Failed, ginkgoFailure(spec)
	case found && !knownStatus(v.Status):
		return check.Failed, fmt.Sprintf("verdict has unknown status %q: %s", v.Status, v.Message)
	case found:
		return v.Status, v.Message
	case spec.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		if spec.Failure.Message != "" {
			return check.Skipped, spec.Failure.Message
		}
		return check.Skipped, noVerdictSkip
	default:
		return check.Failed, fmt.Sprintf("no verdict recorded (spec %s)", spec.State)
	}
}

// ginkgoFailure is Ginkgo's account of a failed spec, with the panic value
// when the spec panicked.
func ginkgoFailure(spec types.SpecReport) string {
	msg := spec.Failure.Message
	if msg == "" {
		msg = "spec " + spec.State.String()
	}
	if spec.Failure.ForwardedPanic != "" {
		msg += ": " + spec.Failure.ForwardedPanic
	}
	return msg
}

// knownStatus reports whether st is one of the statuses reports understand.
func knownStatus(st check.Status) bool {
	switch st {
	case check.Passed, check.Failed, check.Warning, check.Skipped:
		return true
	}
	return false
}

// verdictOf finds the spec's verdict entry (the last one, if the runner wrote
// several) and decodes it from JSON, so it never depends on the Go type of
// the value. Ginkgo fills Value.AsJSON only in a report that went through JSON
// (a parallel run, or a report read from a file); in an in-process run AsJSON
// is empty, and the raw value is marshalled to JSON here instead.
func verdictOf(spec types.SpecReport) (v check.Verdict, found bool, err error) {
	var entry *types.ReportEntry
	for i := range spec.ReportEntries {
		if spec.ReportEntries[i].Name == check.ReportEntryName {
			entry = &spec.ReportEntries[i]
		}
	}
	if entry == nil {
		return v, false, nil
	}
	data := []byte(entry.Value.AsJSON)
	if len(data) == 0 {
		if data, err = json.Marshal(entry.Value.GetRawValue()); err != nil {
			return v, true, fmt.Errorf("reports: encode verdict of %q: %w", spec.LeafNodeText, err)
		}
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, true, fmt.Errorf("reports: decode verdict of %q: %w", spec.LeafNodeText, err)
	}
	return v, true, nil
}
