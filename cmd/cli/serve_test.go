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

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
)

// served is a `serve issuer` child process: its first two lines of output.
type served struct {
	issuer, resolve string
}

// serveChild runs `serve issuer args...` as its own process, as a user would,
// until the test ends (then SIGINT, which must stop it cleanly).
func serveChild(t *testing.T, args ...string) served {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "issuer"}, args...)...)
	cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var lines []string
	for len(lines) < 2 && sc.Scan() {
		lines = append(lines, sc.Text())
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
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
	})
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "https://") || !strings.HasPrefix(lines[1], "--resolve ") {
		t.Fatalf("serve issuer printed %q", lines)
	}
	return served{issuer: lines[0], resolve: strings.TrimPrefix(lines[1], "--resolve ")}
}

// TestServeIssuerThenRun stands the fixture up as its own process, as a user
// would, and runs the harness against it from another.
func TestServeIssuerThenRun(t *testing.T) {
	for _, tt := range []struct {
		defect string
		code   int
	}{{"", ExitPass}, {"no-subject-types", ExitFail}} {
		t.Run("defect "+tt.defect, func(t *testing.T) {
			caFile := filepath.Join(t.TempDir(), "ca.pem")
			args := []string{"--profile", "kubernetes", "--ca-out", caFile}
			if tt.defect != "" {
				args = append(args, "--defect", tt.defect)
			}
			s := serveChild(t, args...)
			r := cli(t, "run", "--profile", "kubernetes", "--issuer", s.issuer, "--ca-file", caFile, "--resolve", s.resolve)
			if r.code != tt.code {
				t.Errorf("run exit %d, want %d\n%s", r.code, tt.code, r.stdout)
			}
		})
	}
}

// TestServeIssuerTokenOut: the token `serve issuer --token-out` writes is
// judged by `run --token-file`: every claims check passes for a good issuer
// (with the --sub, --aud and --ttl asked for), and a token defect is caught.
func TestServeIssuerTokenOut(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		run    []string // extra flags of run
		code   int
		failed []string // claims checks that fail or warn; the others pass
		shown  []string // what the JSON report's messages say of the claims
	}{
		{name: "defaults", code: ExitPass,
			shown: []string{`sub "system:serviceaccount:default:my-sa"`, `aud ["sts.amazonaws.com"]`, "lifetime 24h0m0s"}},
		{name: "sub, aud and ttl", args: []string{"--sub", "system:serviceaccount:payments:api", "--aud", "my-app", "--ttl", "1h"},
			run: []string{"--audience", "my-app"}, code: ExitPass,
			shown: []string{`sub "system:serviceaccount:payments:api"`, `aud ["my-app"]`, "lifetime 1h0m0s"}},
		{name: "aud gcp", args: []string{"--aud", "gcp"}, run: []string{"--audience", issuer.GCPAudience()}, code: ExitPass,
			shown: []string{`aud ["//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/fixture-pool/providers/fixture-issuer"]`}},
		{name: "aud azure", args: []string{"--aud", "azure"}, run: []string{"--audience", "api://AzureADTokenExchange"}, code: ExitPass,
			shown: []string{`aud ["api://AzureADTokenExchange"]`}},
		{name: "token defect", args: []string{"--defect", "token-expired"}, code: ExitFail, failed: []string{"TOK-009"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			caFile, tokFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "token")
			s := serveChild(t, append([]string{"--ca-out", caFile, "--token-out", tokFile}, tt.args...)...)
			st, err := os.Stat(tokFile)
			if err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("token file: %v, mode %v; want 0600", err, st.Mode().Perm())
			}
			r := cli(t, append([]string{"run", "--issuer", s.issuer, "--ca-file", caFile, "--resolve", s.resolve,
				"--token-file", tokFile, "--json", dir + "/r.json"}, tt.run...)...)
			if r.code != tt.code {
				t.Errorf("run exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			rep := jsonReport(t, dir+"/r.json")
			for _, id := range []string{"TOK-001", "TOK-002", "TOK-003", "TOK-004", "TOK-005", "TOK-006", "TOK-007", "TOK-008", "TOK-009", "TOK-010", "TOK-011"} {
				want := "passed"
				for _, f := range tt.failed {
					if f == id {
						want = "failed"
					}
				}
				if rep[id] != want {
					t.Errorf("%s %q, want %s", id, rep[id], want)
				}
			}
			b, err := os.ReadFile(dir + "/r.json")
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.shown {
				if !strings.Contains(strings.ReplaceAll(string(b), `\"`, `"`), c) {
					t.Errorf("the report does not say %s", c)
				}
			}
		})
	}
}

// TestServeIssuerTokenFlags: bad token flags exit 2 with one line, before
// the issuer starts (it prints nothing and writes no token).
func TestServeIssuerTokenFlags(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"sub without token-out", []string{"--sub", "system:serviceaccount:a:b"}, "--token-out"},
		{"ttl without token-out", []string{"--ttl", "1h"}, "--token-out"},
		{"zero ttl", []string{"--token-out", tok, "--ttl", "0s"}, "--ttl 0s"},
		{"ttl under a second", []string{"--token-out", tok, "--ttl", "10ms"}, "at least 1s"},
		{"not a duration", []string{"--token-out", tok, "--ttl", "soon"}, "--ttl"},
		{"empty aud", []string{"--token-out", tok, "--aud", ""}, "--aud"},
		{"malformed service-account sub", []string{"--token-out", tok, "--sub", "system:serviceaccount:only-a-namespace"}, "system:serviceaccount:<namespace>:<name>"},
		{"unwritable token-out", []string{"--token-out", filepath.Join(dir, "no", "such", "dir", "token")}, "--token-out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, append([]string{"serve", "issuer"}, tt.args...)...)
			if r.code != ExitUsage || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", r.code, r.stdout)
			}
			r.oneLine(t, tt.want)
			if _, err := os.Stat(tok); !os.IsNotExist(err) {
				t.Errorf("a token file was left behind (%v)", err)
			}
		})
	}
}

// TestServeIssuerGitHub stands up the github profile as its own process: the
// issuer is GitHub's URL, reached through the printed --resolve pin, and its
// GitHub-shaped token passes the whole chain with the mock STS, the trust
// policy pinning the provider-specific key :repository.
func TestServeIssuerGitHub(t *testing.T) {
	dir := t.TempDir()
	caFile, tokFile, policy := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "token"), filepath.Join(dir, "trust.json")
	s := serveChild(t, "--profile", "github", "--ca-out", caFile, "--token-out", tokFile)
	if s.issuer != "https://token.actions.githubusercontent.com" || !strings.HasPrefix(s.resolve, "token.actions.githubusercontent.com:443:") {
		t.Fatalf("issuer %q, resolve %q", s.issuer, s.resolve)
	}
	const host = "token.actions.githubusercontent.com"
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/` + host + `"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + host + `:aud":"sts.amazonaws.com","` + host + `:repository":"octo-org/octo-repo"},` +
		`"StringLike":{"` + host + `:sub":"repo:octo-org/octo-repo:*"}}}]}`
	if err := os.WriteFile(policy, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	tp := cli(t, "thumbprint", s.issuer, "--ca-file", caFile, "--resolve", s.resolve)
	r := cli(t, "run", "--issuer", s.issuer, "--ca-file", caFile, "--resolve", s.resolve, "--token-file", tokFile,
		"--thumbprint", strings.TrimSpace(tp.stdout), "--role-arn", "arn:aws:iam::111122223333:role/ci", "--trust-policy", policy, "--json", dir+"/r.json")
	m := messages(t, dir+"/r.json")
	for _, id := range []string{"IAM-005", "IAM-007", "IAM-008", "STS-001"} {
		if m[id][0] != "passed" {
			t.Errorf("%s %v, want passed", id, m[id])
		}
	}
	if !strings.Contains(m["IAM-005"][1], "GitHub Actions") {
		t.Errorf("IAM-005 %q does not name GitHub's keys", m["IAM-005"][1])
	}
	if r.code != ExitPass {
		t.Errorf("run exit %d\n%s", r.code, r.stdout)
	}
}
