package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// liveRunEnv, when set, makes the test binary run the live Ginkgo suite and
// write what it found to the file it names, instead of running the tests.
// Ginkgo's RunSpecs may run once per process and exits the process under
// go test -count=N or -parallel, so the live run gets a process of its own.
const liveRunEnv = "REPORTS_LIVE_RUN_OUT"

// Issuers of the live run.
const (
	liveIssuerA = "https://live-a.example"
	liveIssuerB = "https://live-b.example/id/1"
)

// liveRunOutput is what the child process reports back.
type liveRunOutput struct {
	// AsJSONFilled says whether Ginkgo filled ReportEntry.Value.AsJSON in-process.
	AsJSONFilled bool
	// Results is WriteJSON of FromGinkgo(report, nil), computed in the child
	// so the verdicts are read from the in-process report.
	Results json.RawMessage
}

func TestMain(m *testing.M) {
	if path := os.Getenv(liveRunEnv); path != "" {
		if err := liveRunChild(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// failT is the GinkgoTestingT of the live run; a failing suite is expected.
type failT struct{}

// Fail is called by RunSpecs when a spec failed; the parent judges the results instead.
func (failT) Fail() {}

// liveRunChild runs a real Ginkgo suite laid out the way the runner lays out
// checks, and writes a liveRunOutput to path.
func liveRunChild(path string) error {
	var report types.Report
	verdict := func(issuer, id string, st check.Status, msg string) {
		ginkgo.AddReportEntry(check.ReportEntryName, check.Verdict{Target: issuer, ID: id, Status: st, Message: msg})
	}
	ginkgo.Describe("oidc-conformance", func() {
		ginkgo.Describe(liveIssuerA, func() {
			ginkgo.It("DISC-001 discovery document answers 200", ginkgo.Label("discovery", "fail", "aws"), func() {
				verdict(liveIssuerA, "DISC-001", check.Passed, "200 OK")
			})
			ginkgo.It("DISC-002 no redirect on the way", ginkgo.Label("discovery", "warn", "aws"), func() {
				verdict(liveIssuerA, "DISC-002", check.Warning, "redirected")
			})
			ginkgo.It("DISC-005 issuer equals the probed issuer URL", ginkgo.Label("discovery", "fail", "aws"), func() {
				verdict(liveIssuerA, "DISC-005", check.Failed, nastyMessage)
				ginkgo.Fail(nastyMessage)
			})
			ginkgo.It("TLS-001 chain verifies for the host name", ginkgo.Label("tls", "fail", "aws"), func() {
				verdict(liveIssuerA, "TLS-001", check.Skipped, "DISC-001 failed")
				ginkgo.Skip("DISC-001 failed")
			})
			ginkgo.It("TLS-003 leaf valid for 30 more days", ginkgo.Label("tls", "warn", "aws"), func() {
				panic("judgement bug")
			})
			ginkgo.It("JWKS-004 every key has a kid", ginkgo.Label("jwks", "fail", "aws", "slow"), func() {
				verdict(liveIssuerA, "JWKS-004", check.Passed, "filtered out, never runs")
			})
		})
		ginkgo.Describe(liveIssuerB, func() {
			ginkgo.It("DISC-001 discovery document answers 200", ginkgo.Label("discovery", "fail", "aws"),
				ginkgo.NodeTimeout(20*time.Millisecond), func(ctx ginkgo.SpecContext) {
					<-ctx.Done()
				})
		})
	})
	ginkgo.ReportAfterSuite("capture", func(r ginkgo.Report) { report = r })

	sc, rc := ginkgo.GinkgoConfiguration()
	sc.LabelFilter = "!slow"
	sc.RandomSeed = 1
	rc.Succinct, rc.NoColor = true, true
	ginkgo.RunSpecs(failT{}, "reports live run", sc, rc)

	var out liveRunOutput
	for _, s := range report.SpecReports {
		for _, e := range s.ReportEntries {
			out.AsJSONFilled = out.AsJSONFilled || (e.Name == check.ReportEntryName && e.Value.AsJSON != "")
		}
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, FromGinkgo(report, nil)); err != nil {
		return fmt.Errorf("live run: %w", err)
	}
	out.Results = b.Bytes()
	data, err := json.Marshal(out)
	if err != nil {
		return fmt.Errorf("live run: %w", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("live run: %w", err)
	}
	return nil
}

// The hand-built fixture stands for what Ginkgo really reports: check the
// contract against a real run, in a child process.
func TestFromGinkgoLiveRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "live.json")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), liveRunEnv+"="+path)
	if log, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("live run: %v\n%s", err, log)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out liveRunOutput
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out.AsJSONFilled {
		t.Log("Ginkgo now fills AsJSON in-process; the raw-value fallback in verdictOf is no longer exercised")
	}
	got, err := ReadJSON(bytes.NewReader(out.Results))
	if err != nil {
		t.Fatal(err)
	}

	var timeout Result
	if len(got.Targets) == 2 && len(got.Targets[1].Results) == 1 {
		timeout = got.Targets[1].Results[0]
		if timeout.Status != check.Failed || !strings.Contains(timeout.Message, "timeout") {
			t.Errorf("timed-out spec: status %q message %q, want failed with Ginkgo's timeout message", timeout.Status, timeout.Message)
		}
	}
	res := func(text string, st check.Status, msg string) Result {
		id, title := splitLeafText(text)
		return Result{ID: id, Title: title, Status: st, Message: msg}
	}
	want := NewResults([]TargetResults{
		{Issuer: liveIssuerA, Results: []Result{
			res("DISC-001 discovery document answers 200", check.Passed, "200 OK"),
			res("DISC-002 no redirect on the way", check.Warning, "redirected"),
			res("DISC-005 issuer equals the probed issuer URL", check.Failed, nastyMessage),
			res("TLS-001 chain verifies for the host name", check.Skipped, "DISC-001 failed"),
			res("TLS-003 leaf valid for 30 more days", check.Failed, "Test Panicked: judgement bug"),
			res("JWKS-004 every key has a kid", check.Skipped, "not selected"),
		}},
		{Issuer: liveIssuerB, Results: []Result{res("DISC-001 discovery document answers 200", check.Failed, timeout.Message)}},
	})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FromGinkgo of a live run:\n got %+v\nwant %+v", got, want)
	}
}
