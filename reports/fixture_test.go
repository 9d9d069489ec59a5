package reports

import (
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
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

// v is a verdict as the runner hands it over; it ran for 12ms.
func v(id string, st check.Status, msg string) runner.Verdict {
	return runner.Verdict{Verdict: check.Verdict{ID: id, Status: st, Message: msg}, Duration: 12 * time.Millisecond, Selected: true}
}

// target is a target of the fixture run with the given verdicts.
func target(issuer string, index int, vs ...runner.Verdict) runner.TargetVerdicts {
	return runner.TargetVerdicts{Target: &evidence.Target{Input: evidence.Input{Issuer: issuer, Index: index}}, Verdicts: vs}
}

// fixtureOutcome is a run over two targets with every kind of outcome: a
// failure, a warning, a blocked skip, a check not selected, a check the
// catalog does not know, a panic and a timeout (harness faults).
func fixtureOutcome() runner.Outcome {
	slow := v("DISC-005", check.Failed, nastyMessage)
	slow.Duration = 1500 * time.Millisecond
	blocked := v("TLS-003", check.Skipped, "not judged: TLS-001 failed")
	blocked.BlockedBy, blocked.Duration = "TLS-001", 0
	unselected := runner.Verdict{Verdict: check.Verdict{ID: "JWKS-004", Status: check.Skipped, Message: runner.NotSelected}}
	panicked := v("DISC-001", check.Failed, "Test Panicked: runtime error: index out of range [3] with length 3")
	panicked.Fault = panicked.Message
	timedOut := v("TLS-001", check.Failed, "A node timeout occurred")
	timedOut.Fault, timedOut.Duration = timedOut.Message, 5*time.Second
	return runner.Outcome{Targets: []runner.TargetVerdicts{
		target(issuerA, 0,
			v("DISC-001", check.Passed, "200 OK, application/json, 1.2 KB"),
			v("DISC-002", check.Warning, "redirected: 301 → https://cdn.example/oidc"),
			slow,
			v("TLS-001", check.Passed, "chain verifies for issuer.example (2 certificates)"),
			blocked, unselected,
			v("XTRA-001", check.Passed, "fine")),
		target(issuerB, 1, panicked, v("DISC-005", check.Passed, "issuer matches byte for byte"), timedOut),
	}}
}

// passingOutcome is a run of one target whose checks all passed or were not selected.
func passingOutcome() runner.Outcome {
	return runner.Outcome{Targets: []runner.TargetVerdicts{target(issuerA, 0,
		v("DISC-001", check.Passed, "200 OK"),
		runner.Verdict{Verdict: check.Verdict{ID: "TLS-001", Status: check.Skipped, Message: runner.NotSelected}})}}
}
