package reports

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Issuers of the fixture report.
const (
	issuerA = "https://issuer.example"
	issuerB = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
)

// nastyMessage has every character a writer must escape: markup, quotes,
// a table pipe, newlines (LF and CRLF) and a terminal escape sequence.
const nastyMessage = "issuer is \"https://issuer.example/\" <trailing slash> & 'quoted' | piped\nsecond line\r\nthird \x1b[31mred\x1b[0m"

// testCatalog is a small catalog in the order the reports must follow.
func testCatalog(tb testing.TB) check.Catalog {
	tb.Helper()
	judge := func(*evidence.Target) check.Finding { return check.Pass("ok") }
	cat := check.Catalog{
		{ID: "DISC-001", Title: "discovery document answers 200", Area: "discovery", Severity: check.Fail,
			Profiles: []check.Profile{check.AWS}, Reference: "OIDD §4",
			Remediation: "Serve <issuer>/.well-known/openid-configuration with status 200.", Judge: judge},
		{ID: "DISC-002", Title: "no redirect on the way", Area: "discovery", Severity: check.Warn,
			Profiles: []check.Profile{check.AWS}, Reference: "IAM: undocumented redirect handling",
			Remediation: "Serve the document at the issuer URL itself & drop the redirect.", Judge: judge},
		{ID: "DISC-005", Title: "issuer equals the probed issuer URL", Area: "discovery", Severity: check.Fail,
			Profiles: []check.Profile{check.AWS, check.OIDC}, Reference: "OIDD §4.3",
			Remediation: "Set \"issuer\" to the exact URL, trailing slash included.\nThen restart the API server.", Judge: judge},
		{ID: "TLS-001", Title: "chain verifies for the host name", Area: "tls", Severity: check.Fail,
			Profiles: []check.Profile{check.AWS}, Reference: "EKS user guide",
			Remediation: "Serve a publicly trusted certificate for the host.", Judge: judge},
		{ID: "TLS-003", Title: "leaf valid for 30 more days", Area: "tls", Severity: check.Warn,
			Profiles: []check.Profile{check.AWS}, Reference: "CHECKS.md",
			Remediation: "Renew the certificate.", Judge: judge},
		{ID: "JWKS-004", Title: "every key has a kid", Area: "jwks", Severity: check.Fail,
			Profiles: []check.Profile{check.AWS}, Reference: "PIW#12",
			Remediation: "Give every key a kid.", Judge: judge},
	}
	if err := cat.Validate(); err != nil {
		tb.Fatalf("test catalog: %v", err)
	}
	return cat
}

// specOpt changes a spec built by itSpec.
type specOpt func(*types.SpecReport)

// itSpec is an It spec the way the runner lays it out: the issuer as the
// innermost container, "<ID> <title>" as leaf text. It passed in 12ms unless
// an option says otherwise.
func itSpec(issuer, text string, opts ...specOpt) types.SpecReport {
	s := types.SpecReport{
		ContainerHierarchyTexts:  []string{"oidc-conformance", issuer},
		ContainerHierarchyLabels: [][]string{{}, {}},
		LeafNodeType:             types.NodeTypeIt,
		LeafNodeText:             text,
		LeafNodeLabels:           []string{"discovery", "fail", "aws"},
		State:                    types.SpecStatePassed,
		RunTime:                  12 * time.Millisecond,
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// withVerdict records a verdict as AddReportEntry does in-process: the value
// wrapped, AsJSON empty.
func withVerdict(issuer, id string, st check.Status, msg string) specOpt {
	return func(s *types.SpecReport) {
		s.ReportEntries = append(s.ReportEntries, types.ReportEntry{
			Name:  check.ReportEntryName,
			Value: types.WrapEntryValue(check.Verdict{Target: issuer, ID: id, Status: st, Message: msg}),
		})
	}
}

// withBlockedVerdict records the verdict of a check the runner did not judge
// because root, a check it requires, failed.
func withBlockedVerdict(issuer, id, root string) specOpt {
	return func(s *types.SpecReport) {
		f := check.Blocked(root)
		s.ReportEntries = append(s.ReportEntries, types.ReportEntry{
			Name:  check.ReportEntryName,
			Value: types.WrapEntryValue(check.Verdict{Target: issuer, ID: id, Status: f.Status, Message: f.Message, BlockedBy: f.BlockedBy}),
		})
	}
}

// withRehydratedVerdict records a verdict as a report read back from JSON
// (or sent between parallel processes) has it: AsJSON set, the raw value a map.
func withRehydratedVerdict(issuer, id string, st check.Status, msg string) specOpt {
	return func(s *types.SpecReport) {
		data, err := json.Marshal(types.WrapEntryValue(check.Verdict{Target: issuer, ID: id, Status: st, Message: msg}))
		if err != nil {
			panic(err)
		}
		var v types.ReportEntryValue
		if err := json.Unmarshal(data, &v); err != nil {
			panic(err)
		}
		s.ReportEntries = append(s.ReportEntries, types.ReportEntry{Name: check.ReportEntryName, Value: v})
	}
}

// withState sets the spec's final state and Ginkgo's failure message.
func withState(st types.SpecState, msg string) specOpt {
	return func(s *types.SpecReport) {
		s.State = st
		s.Failure.Message = msg
	}
}

// withPanic makes the spec panicked with the given value.
func withPanic(value string) specOpt {
	return func(s *types.SpecReport) {
		s.State = types.SpecStatePanicked
		s.Failure.Message = "Test Panicked"
		s.Failure.ForwardedPanic = value
	}
}

// withRunTime sets how long the spec ran.
func withRunTime(d time.Duration) specOpt {
	return func(s *types.SpecReport) { s.RunTime = d }
}

// fixtureReport is a run over two targets with every kind of outcome, specs
// out of catalog order, and a non-It node that must be ignored.
func fixtureReport() types.Report {
	return types.Report{
		SuiteDescription: "OIDC conformance",
		SpecReports: types.SpecReports{
			{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
			itSpec(issuerA, "TLS-001 chain verifies for the host name",
				withVerdict(issuerA, "TLS-001", check.Passed, "chain verifies for issuer.example (2 certificates)")),
			itSpec(issuerA, "DISC-005 issuer equals the probed issuer URL",
				withVerdict(issuerA, "DISC-005", check.Failed, nastyMessage),
				withState(types.SpecStateFailed, nastyMessage), withRunTime(1500*time.Millisecond)),
			itSpec(issuerA, "DISC-002 no redirect on the way",
				withVerdict(issuerA, "DISC-002", check.Warning, "redirected: 301 → https://cdn.example/oidc")),
			itSpec(issuerA, "DISC-001 discovery document answers 200",
				withVerdict(issuerA, "DISC-001", check.Passed, "200 OK, application/json, 1.2 KB")),
			itSpec(issuerA, "TLS-003 leaf valid for 30 more days",
				withBlockedVerdict(issuerA, "TLS-003", "TLS-006"),
				withState(types.SpecStateSkipped, "not judged: TLS-006 failed"), withRunTime(0)),
			itSpec(issuerA, "JWKS-004 every key has a kid",
				withState(types.SpecStateSkipped, ""), withRunTime(0)),
			itSpec(issuerA, "XTRA-001 a check the catalog does not know",
				withVerdict(issuerA, "XTRA-001", check.Passed, "fine")),
			itSpec(issuerB, "DISC-005 issuer equals the probed issuer URL",
				withRehydratedVerdict(issuerB, "DISC-005", check.Passed, "issuer matches byte for byte")),
			itSpec(issuerB, "DISC-001 discovery document answers 200",
				withPanic("runtime error: index out of range [3] with length 3")),
			itSpec(issuerB, "TLS-001 chain verifies for the host name",
				withState(types.SpecStateTimedout, "A node timeout occurred"), withRunTime(5*time.Second)),
			{LeafNodeType: types.NodeTypeReportAfterSuite, LeafNodeText: "reports", State: types.SpecStatePassed},
		},
	}
}
