package cli

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeIssuerThenRun stands the fixture up as its own process, as a user
// would, and runs the harness against it from another.
func TestServeIssuerThenRun(t *testing.T) {
	for _, tt := range []struct {
		defect string
		code   int
	}{{"", ExitPass}, {"no-subject-types", ExitFail}} {
		t.Run("defect "+tt.defect, func(t *testing.T) {
			caFile := filepath.Join(t.TempDir(), "ca.pem")
			args := []string{"serve", "issuer", "--profile", "kubernetes", "--ca-out", caFile}
			if tt.defect != "" {
				args = append(args, "--defect", tt.defect)
			}
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			defer func() {
				cmd.Process.Signal(syscall.SIGINT)
				select {
				case err := <-done:
					if err != nil {
						t.Errorf("serve issuer after SIGINT: %v", err)
					}
				case <-time.After(10 * time.Second):
					cmd.Process.Kill()
					t.Error("serve issuer did not stop on SIGINT")
				}
			}()
			sc := bufio.NewScanner(out)
			var lines []string
			for len(lines) < 2 && sc.Scan() {
				lines = append(lines, sc.Text())
			}
			go func() { done <- cmd.Wait() }()
			if len(lines) < 2 || !strings.HasPrefix(lines[0], "https://") || !strings.HasPrefix(lines[1], "--resolve ") {
				t.Fatalf("serve issuer printed %q", lines)
			}
			r := cli(t, "run", "--profile", "kubernetes", "--issuer", lines[0], "--ca-file", caFile, "--resolve", strings.TrimPrefix(lines[1], "--resolve "))
			if r.code != tt.code {
				t.Errorf("run exit %d, want %d\n%s", r.code, tt.code, r.stdout)
			}
		})
	}
}
