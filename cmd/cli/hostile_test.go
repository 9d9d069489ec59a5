package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/hostile"
)

// hostileTimeout is the --timeout of every run against a hostile issuer.
const hostileTimeout = 10 * time.Second

// TestRunAgainstHostileIssuers runs the real `run` (this binary as the
// CLI, in a child process) against each hostile issuer with --timeout 10s:
// each exits 1 with a report written, within the timeout plus 2 s, with a
// peak heap under 100 MB, and the check that names the problem fails with
// a message that says what it was. The children run together.
func TestRunAgainstHostileIssuers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a dozen 10 s CLI runs")
	}
	srv, err := hostile.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, srv.CA.RootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	// The 1 MB token its issuer hands out, well signed, as a token file.
	huge, err := srv.Token(hostile.HugeToken)
	if err != nil {
		t.Fatal(err)
	}
	bigToken := filepath.Join(dir, "token")
	if err := os.WriteFile(bigToken, []byte(huge+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Over the read cap, a token file is bad input: one line, exit 2.
	tooBig := filepath.Join(dir, "too-big")
	if err := os.WriteFile(tooBig, bytes.Repeat([]byte("a"), 1<<20+1), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		extra  []string
		exit   int
		id     string // the check that names the problem
		naming string // in its message (or, for exit 2, in stderr)
		status string // of the check id in the report: "failed" when ""
	}{
		{name: hostile.SilentTCP, exit: 1, id: "DISC-001", naming: "handshake timeout"},
		{name: hostile.TLSStall, exit: 1, id: "DISC-001", naming: "handshake timeout"},
		{name: hostile.Drip, exit: 1, id: "DISC-001", naming: "read body"},
		{name: hostile.Body50MiB, exit: 1, id: "DISC-004", naming: "larger than the"},
		{name: hostile.GzipBomb, exit: 1, id: "DISC-004", naming: "gzip"},
		{name: hostile.RedirectLoop, exit: 1, id: "DISC-001", naming: "redirects"},
		{name: hostile.Downgrade, exit: 1, id: "DISC-001", naming: "downgrade from https to http"},
		{name: hostile.DeepJSON, exit: 1, id: "DISC-004", naming: "depth"},
		{name: hostile.EndlessChunks, exit: 1, id: "DISC-004", naming: "larger than the"},
		// Ed25519 keys, which STS does not take (JWKS-008 fails: exit 1);
		// the count is JWKS-010's, a warning (STS's refusal is unconfirmed).
		{name: hostile.ManyKeys, exit: 1, id: "JWKS-010", naming: "10000 keys", status: "warning"},
		{name: hostile.HugeModulus, exit: 1, id: "JWKS-007", naming: "over the 16384-bit cap"},
		{name: hostile.JWKSDrip, exit: 1, id: "JWKS-001", naming: "read body"},
		// A 1 MB token is the issuer's defect: judged by STS's length rule
		// (TOK-013, over 20000 characters), never decoded nor verified.
		{name: hostile.HugeToken, extra: []string{"--token-file", bigToken}, exit: 1, id: "TOK-013",
			naming: fmt.Sprintf("the token has %d characters, over STS's limit of 20000", len(huge))},
		// Over the 1 MiB read cap, it is bad input: one line, before probing.
		{name: "token file over 1 MiB", extra: []string{"--token-file", tooBig}, exit: 2, naming: "--token-file " + tooBig + ": larger than 1 MiB"},
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var table []string
	for _, tt := range tests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			issuer := srv.Issuer(tt.name)
			if tt.exit == 2 {
				issuer = srv.Issuer(hostile.ManyKeys)
			}
			report := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".json")
			args := append([]string{"run", "--issuer", issuer, "--ca-file", ca, "--profile", "aws",
				"--timeout", hostileTimeout.String(), "--json", report}, tt.extra...)
			r := hostileRun(t, dir, args...)
			verdict := strings.TrimSpace(r.stderr)
			bad := func(format string, a ...any) { t.Errorf("%s: "+format, append([]any{tt.name}, a...)...) }
			if r.code != tt.exit {
				bad("exit %d, want %d (stderr %q)", r.code, tt.exit, r.stderr)
			}
			if r.elapsed > hostileTimeout+2*time.Second {
				bad("took %s, over --timeout %s plus 2 s", r.elapsed, hostileTimeout)
			}
			if !raceEnabled && r.elapsed > hostileTimeout+500*time.Millisecond {
				bad("took %s: --timeout %s bounds the whole run", r.elapsed, hostileTimeout)
			}
			if r.peakHeap > 100<<20 {
				bad("peak heap %d MiB, want under 100", r.peakHeap>>20)
			}
			// The heap is sampled; the RSS also holds what sampling may miss
			// (goroutine stacks). The race detector's shadow memory inflates it.
			if !raceEnabled && r.maxRSS > 100<<20 {
				bad("max RSS %d MiB, want under 100", r.maxRSS>>20)
			}
			if tt.exit == 2 {
				if !strings.Contains(r.stderr, tt.naming) || strings.Count(verdict, "\n") > 0 {
					bad("stderr %q, want one line naming %q", r.stderr, tt.naming)
				}
			} else {
				if huge != "" && (strings.Contains(r.stdout+r.stderr, huge[len(huge)-40:]) || reportHas(t, report, huge[len(huge)-40:])) {
					bad("a piece of the token's signature is in the output or the report")
				}
				status, msg := reportFinding(t, report, tt.id)
				if tt.name == hostile.HugeToken {
					// The other token checks are not judged: TOK-013 is the root.
					// TOK-001 (the shape) is not known: skipped for itself.
					for _, id := range []string{"TOK-012", "TOK-002", "TOK-003", "TOK-004", "TOK-005"} {
						if by := blockedBy(t, report, id); by != "TOK-013" {
							bad("%s blocked by %q, want TOK-013", id, by)
						}
					}
					if status, msg := reportFinding(t, report, "TOK-001"); status != "skipped" || !strings.Contains(msg, "not decoded") {
						bad("TOK-001 is %s %q, want skipped: not decoded", status, msg)
					}
				}
				verdict = fmt.Sprintf("%s %s: %s", tt.id, status, msg)
				want := tt.status
				if want == "" {
					want = "failed"
				}
				if status != want || !strings.Contains(msg, tt.naming) {
					bad("%s is %s %q, want %s naming %q", tt.id, status, msg, want, tt.naming)
				}
			}
			verdict = loopbackURL.ReplaceAllString(verdict, "URL")
			if len(verdict) > 160 {
				verdict = verdict[:160] + "..."
			}
			mu.Lock()
			table = append(table, fmt.Sprintf("| %s | %d | %.1f s | %d MiB heap, %d MiB RSS | %s |",
				tt.name, r.code, r.elapsed.Seconds(), r.peakHeap>>20, r.maxRSS>>20, strings.ReplaceAll(verdict, "|", "/")))
			mu.Unlock()
		}()
	}
	wg.Wait()
	t.Logf("case | exit | wall | peak memory | verdict\n%s", strings.Join(table, "\n"))
}

// loopbackURL shortens the fixture's URLs in the table.
var loopbackURL = regexp.MustCompile(`https?://127\.0\.0\.1:[0-9]+[^ :,;)]*|/tmp/[^ :]*`)

// reportFinding returns the status and message of check id in a JSON report.
func reportFinding(t *testing.T, path, id string) (string, string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("no report: %v", err)
		return "", ""
	}
	var r struct {
		Targets []struct {
			Results []struct{ ID, Status, Message string }
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Errorf("report %s: %v", path, err)
	}
	for _, tg := range r.Targets {
		for _, res := range tg.Results {
			if res.ID == id {
				return res.Status, res.Message
			}
		}
	}
	return "absent", ""
}

// blockedBy is the check that blocked check id in a JSON report, "" when
// it was judged.
func blockedBy(t *testing.T, path, id string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("no report: %v", err)
		return ""
	}
	var r struct {
		Targets []struct {
			Results []struct {
				ID        string
				BlockedBy string `json:"blocked_by"`
			}
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Errorf("report %s: %v", path, err)
	}
	for _, tg := range r.Targets {
		for _, res := range tg.Results {
			if res.ID == id {
				return res.BlockedBy
			}
		}
	}
	return ""
}

// reportHas reports whether the file at path holds s.
func reportHas(t *testing.T, path, s string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("no report: %v", err)
	}
	return bytes.Contains(b, []byte(s))
}

// hostileResult is a child run with its wall time, peak heap and max RSS.
type hostileResult struct {
	result
	elapsed          time.Duration
	peakHeap, maxRSS int64
}

// hostileRun runs the CLI in a child that records its peak heap.
func hostileRun(t *testing.T, dir string, args ...string) hostileResult {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	peak, err := os.CreateTemp(dir, "peak")
	if err != nil {
		t.Error(err)
		return hostileResult{}
	}
	peak.Close()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1", "NO_COLOR=1", peakHeapEnv+"="+peak.Name())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err = cmd.Run()
	r := hostileResult{elapsed: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Errorf("run %v: %v", args, err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10
	}
	b, _ := os.ReadFile(peak.Name())
	r.peakHeap, _ = strconv.ParseInt(string(b), 10, 64)
	r.stdout, r.stderr = out.String(), errb.String()
	return r
}

// TestSignalEndsTheRunWithAReport: SIGTERM (as SIGINT) ends a run stuck on a
// dripping issuer promptly, and the reports are still written, with what
// was judged.
func TestSignalEndsTheRunWithAReport(t *testing.T) {
	srv, err := hostile.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, srv.CA.RootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.json")
	cmd := exec.Command(os.Args[0], "run", "--issuer", srv.Issuer(hostile.Drip), "--ca-file", ca, "--timeout", "1m", "--json", report)
	cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1", "NO_COLOR=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The signal handler is installed before any fetch: once the drip has
	// begun, SIGTERM reaches the run, not the default action.
	for began := time.Now(); srv.Drips() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Since(began) > 30*time.Second {
			cmd.Process.Kill()
			t.Fatal("the run never reached the dripping discovery document")
		}
	}
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if d := time.Since(sent); d > 5*time.Second {
		t.Errorf("the run took %s to end after SIGTERM", d)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != ExitFail {
		t.Errorf("exit %v, want 1 (the discovery fetch was cut short)", err)
	}
	if status, _ := reportFinding(t, report, "DISC-001"); status != "failed" {
		t.Errorf("DISC-001 is %q in the report, want failed", status)
	}
}

// TestThumbprintSaysWhatFailed: a host that completes the handshake and
// then never answers is not said to have had "no TLS handshake".
func TestThumbprintSaysWhatFailed(t *testing.T) {
	// The handler takes the connection over and never answers on it.
	hold := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer c.Close()
		<-hold
	}))
	defer srv.Close()
	defer close(hold)
	var stderr bytes.Buffer
	code := Execute(context.Background(), IO{Out: &bytes.Buffer{}, Err: &stderr}, []string{"thumbprint", srv.URL, "--timeout", "1s"})
	if code != ExitFail || !strings.Contains(stderr.String(), "the TLS handshake succeeded, then") || strings.Contains(stderr.String(), "no TLS handshake") {
		t.Errorf("exit %d, %q; want exit 1 saying the handshake succeeded", code, stderr.String())
	}
}
