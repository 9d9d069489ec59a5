package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/reports/schematest"
)

// The end-to-end tests run this test binary as the CLI (Ginkgo's RunSpecs runs
// once per process): with OIDC_CONFORMANCE_AS_CLI=1 it is oidc-conformance.
func TestMain(m *testing.M) {
	if os.Getenv("OIDC_CONFORMANCE_AS_CLI") == "1" {
		if path := os.Getenv(peakHeapEnv); path != "" {
			os.Exit(withPeakHeap(path, asCLI))
		}
		os.Exit(asCLI())
	}
	os.Exit(m.Run())
}

// result is what one CLI run did.
type result struct {
	code           int
	stdout, stderr string
}

// cli runs the command line in a child process and waits at most a minute.
func cli(t *testing.T, args ...string) result {
	t.Helper()
	return cliEnv(t, nil, args...)
}

// cliEnv is cli with extra environment variables ("NAME=value") for the child.
func cliEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1", "NO_COLOR=1"), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	validateReports(t, args)
	return result{code, out.String(), errb.String()}
}

// validateReports checks every JSON report a run wrote (--json, and a demo's
// report.json) against the report's JSON Schema.
func validateReports(t *testing.T, args []string) {
	t.Helper()
	for i := 0; i+1 < len(args); i++ {
		var path string
		switch args[i] {
		case "--json":
			path = args[i+1]
		case "--out":
			path = filepath.Join(args[i+1], "report.json")
		default:
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			continue // the run failed before writing it; its test says so
		}
		if err := schematest.Validate(b); err != nil {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// oneLine asserts stderr is a single line mentioning want.
func (r result) oneLine(t *testing.T, want string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("stderr = %q, want one line containing %q", r.stderr, want)
	}
}

// asCLI runs the CLI; with OIDC_CONFORMANCE_CPUPROFILE or _MEMPROFILE set
// (benchmark investigations) it writes a pprof profile there.
func asCLI() int {
	if p := os.Getenv("OIDC_CONFORMANCE_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	if p := os.Getenv("OIDC_CONFORMANCE_MEMPROFILE"); p != "" {
		// Keep the heap profile of the largest heap seen, every 200 ms.
		go func() {
			var peak uint64
			for range time.Tick(200 * time.Millisecond) {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc <= peak {
					continue
				}
				peak = ms.HeapAlloc
				if f, err := os.Create(p); err == nil {
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}()
	}
	return Main()
}
