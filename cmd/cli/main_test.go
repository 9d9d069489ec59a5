package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The end-to-end tests run this test binary as the CLI (Ginkgo's RunSpecs runs
// once per process): with OIDC_CONFORMANCE_AS_CLI=1 it is oidc-conformance.
func TestMain(m *testing.M) {
	if os.Getenv("OIDC_CONFORMANCE_AS_CLI") == "1" {
		if path := os.Getenv(peakHeapEnv); path != "" {
			os.Exit(withPeakHeap(path, Main))
		}
		os.Exit(Main())
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
	return result{code, out.String(), errb.String()}
}

// oneLine asserts stderr is a single line mentioning want.
func (r result) oneLine(t *testing.T, want string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(r.stderr, want) {
		t.Errorf("stderr = %q, want one line containing %q", r.stderr, want)
	}
}
