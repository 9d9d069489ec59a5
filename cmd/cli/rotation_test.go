package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
)

// serveArgs starts `serve issuer extra...` (serveChild) and returns the run
// flags that reach and trust it.
func serveArgs(t *testing.T, extra ...string) []string {
	t.Helper()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	srv := serveChild(t, append([]string{"--ca-out", caFile}, extra...)...)
	return []string{"--issuer", srv.issuer, "--ca-file", caFile, "--resolve", srv.resolve}
}

// finding is one check's verdict in a --json report.
type finding struct{ Status, Message string }

// jsonFindings reads a --json report: the first target's findings by ID.
func jsonFindings(t *testing.T, path string) map[string]finding {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Targets []struct {
			Results []struct{ ID, Status, Message string }
		}
	}
	if err := json.Unmarshal(b, &r); err != nil || len(r.Targets) == 0 {
		t.Fatalf("report %s: %v", b, err)
	}
	out := map[string]finding{}
	for _, res := range r.Targets[0].Results {
		out[res.ID] = finding{res.Status, res.Message}
	}
	return out
}

// TestRunWatchRotation watches `serve issuer --rotate-every 500ms` for 2 s:
// without overlap the old key goes while 10 s tokens are still valid
// (ROT-002 fails, exit 1); with a 15 s overlap every key stays (exit 0).
func TestRunWatchRotation(t *testing.T) {
	tests := []struct {
		overlap string
		code    int
		rot002  string
		msg     string
	}{
		{"0s", ExitFail, "failed", "tokens live 10s (the maximum token lifetime), so tokens signed by the old key fail before they expire"},
		{"15s", ExitPass, "passed", "was still published"},
	}
	for _, tt := range tests {
		t.Run("overlap "+tt.overlap, func(t *testing.T) {
			t.Parallel()
			args := serveArgs(t, "--rotate-every", "500ms", "--overlap", tt.overlap)
			report := filepath.Join(t.TempDir(), "r.json")
			began := time.Now()
			r := cli(t, append([]string{"run", "--watch", "2s", "--watch-interval", "200ms", "--max-token-lifetime", "10s",
				"--json", report}, args...)...)
			if took := time.Since(began); took > 15*time.Second {
				t.Errorf("run took %s", took)
			}
			f := jsonFindings(t, report)
			if r.code != tt.code || f["ROT-002"].Status != tt.rot002 || !strings.Contains(f["ROT-002"].Message, tt.msg) {
				t.Errorf("exit %d, ROT-002 %s %q; want exit %d, %s mentioning %q\n%s", r.code, f["ROT-002"].Status,
					f["ROT-002"].Message, tt.code, tt.rot002, tt.msg, r.stdout)
			}
			if !strings.Contains(r.stderr, "key-set changes") {
				t.Errorf("no watch progress on stderr: %q", r.stderr)
			}
		})
	}
}

// TestRunWatchInterrupted sends SIGINT to `run --watch 1m` once the watch
// has seen the key set change: the run stops at once and still judges the
// polls it made and writes its report.
func TestRunWatchInterrupted(t *testing.T) {
	args := serveArgs(t, "--rotate-every", "300ms")
	report := filepath.Join(t.TempDir(), "r.json")
	cmd := exec.Command(os.Args[0], append([]string{"run", "--watch", "1m", "--watch-interval", "100ms", "--json", report}, args...)...)
	cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1", "NO_COLOR=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Progress is a line per poll: interrupt after the first key-set change.
	changed := regexp.MustCompile(`[1-9][0-9]* key-set changes`)
	var mu sync.Mutex
	var progress []string
	seen := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		once := sync.OnceFunc(func() { close(seen) })
		for sc.Scan() {
			mu.Lock()
			progress = append(progress, sc.Text())
			mu.Unlock()
			if changed.MatchString(sc.Text()) {
				once()
			}
		}
		once()
	}()
	select {
	case <-seen:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the watch saw no key-set change in 20 s")
	}
	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if took := time.Since(interrupted); took > 5*time.Second {
		t.Errorf("the run took %s to stop after SIGINT", took)
	}
	mu.Lock()
	defer mu.Unlock()
	if code != ExitFail {
		t.Fatalf("exit %d, want 1 (ROT-002)\nstdout %s\nstderr %s", code, stdout.String(), strings.Join(progress, "\n"))
	}
	f := jsonFindings(t, report)
	if f["ROT-002"].Status != "failed" || !strings.Contains(f["ROT-002"].Message, "withdrawn") {
		t.Errorf("ROT-002 %s %q, want the rotation seen before the interrupt", f["ROT-002"].Status, f["ROT-002"].Message)
	}
	if !strings.Contains(stdout.String(), "ROT-002") {
		t.Errorf("no console report: %s", stdout.String())
	}
}

// TestSaveJWKSThenBaseline saves the key set with --save-jwks, rotates the
// issuer's key (on its own clock), and compares with --jwks-baseline: ROT-003
// names the added and the removed kid, and warns that the removed key went
// sooner than tokens live.
func TestSaveJWKSThenBaseline(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	_, args := fixtureWith(t, issuer.Config{Rotation: issuer.Rotation{Every: time.Hour}, Now: clock})
	dir := t.TempDir()
	saved := filepath.Join(dir, "jwks.json")
	if r := cli(t, append([]string{"run", "--save-jwks", saved}, args...)...); r.code != ExitPass {
		t.Fatalf("first run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var baseline struct {
		JWKS struct{ Keys []struct{ Kid string } }
	}
	b, err := os.ReadFile(saved)
	if err != nil || json.Unmarshal(b, &baseline) != nil || len(baseline.JWKS.Keys) != 1 {
		t.Fatalf("--save-jwks wrote %s (%v)", b, err)
	}
	old := baseline.JWKS.Keys[0].Kid

	mu.Lock()
	now = now.Add(time.Hour) // the next key signs; the old one is withdrawn at once
	mu.Unlock()
	report := filepath.Join(dir, "r.json")
	r := cli(t, append([]string{"run", "--jwks-baseline", saved, "--json", report}, args...)...)
	f := jsonFindings(t, report)["ROT-003"]
	if r.code != ExitPass || f.Status != "warning" {
		t.Fatalf("second run: exit %d, ROT-003 %s %q; want 0 and a warning\n%s", r.code, f.Status, f.Message, r.stdout)
	}
	for _, want := range []string{"added kid", `removed kid "` + old + `"`, "tokens live 24h", "no longer verifies"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("ROT-003 %q does not mention %q", f.Message, want)
		}
	}
}

func TestServeIssuerRotationFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    issuer.Rotation
		wantErr string
	}{
		{"default: no rotation", nil, issuer.Rotation{}, ""},
		{"rotate with overlap", []string{"--rotate-every", "500ms", "--overlap", "15s"},
			issuer.Rotation{Every: 500 * time.Millisecond, Overlap: 15 * time.Second}, ""},
		{"rotate without overlap", []string{"--rotate-every", "1m", "--overlap", "0s"}, issuer.Rotation{Every: time.Minute}, ""},
		{"overlap alone", []string{"--overlap", "5m"}, issuer.Rotation{}, "--overlap 5m0s needs --rotate-every"},
		{"negative", []string{"--rotate-every", "-1s"}, issuer.Rotation{}, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *ServeIssuerOptions
			cmd := NewCmdServeIssuer(IO{Out: io.Discard, Err: io.Discard}, func(_ context.Context, o *ServeIssuerOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			r, err := got.rotation()
			switch {
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("rotation() error %v, want %q", err, tt.wantErr)
			case tt.wantErr == "" && (err != nil || r != tt.want):
				t.Errorf("rotation() = %+v, %v; want %+v", r, err, tt.want)
			}
		})
	}
}
