package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// notInputFiles are the string flags that name no file the command reads
// (URLs, patterns, output files, values). A new string flag must be either
// marked with inputFiles or listed here, so no file-taking flag escapes
// TestInputFileFlags.
var notInputFiles = map[string]bool{
	"demo --out": true, "demo --defect": true, "demo --profile": true,
	"explain --role-arn": true, "explain --session-name": true, "explain --now": true,
	"run --issuer": true, "run --profile": true, "run --thumbprint": true, "run --resolve": true,
	"run --label-filter": true, "run --focus": true, "run --junit": true, "run --json": true,
	"run --markdown": true, "run --save-evidence": true, "run --token": true, "run --token-cmd": true,
	"run --audience": true, "run --role-arn": true, "run --sts": true, "run --region": true,
	"run --session-name": true, "run --save-jwks": true,
	"serve issuer --profile": true, "serve issuer --defect": true, "serve issuer --listen": true,
	"serve issuer --ca-out": true, "serve issuer --hostname": true, "serve issuer --token-out": true,
	"serve issuer --sub": true, "serve issuer --aud": true,
	"serve sts --listen": true, "serve sts --resolve": true, "serve sts --ca-out": true,
	"thumbprint --resolve": true,
	"run --for":            true, "demo --for": true, "explain --for": true,
	"run --console": true, "run --html": true, "run --shard": true,
	"report merge --console": true, "report merge --html": true, "report merge --json": true,
	"report merge --junit": true, "report merge --markdown": true,
}

// inputFileFlags lists "command --flag" for every marked flag of every
// command, and fails on a string flag that is neither marked nor listed.
func inputFileFlags(t *testing.T) []string {
	var out []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.TrimPrefix(c.CommandPath(), "oidc-conformance ")
		c.Flags().VisitAll(func(f *pflag.Flag) {
			name := path + " --" + f.Name
			switch {
			case f.Annotations[inputFileAnnotation] != nil:
				out = append(out, name)
			case f.Annotations[partyValueAnnotation] != nil: // a relying party's value flag
			case f.Value.Type() != "string" && f.Value.Type() != "stringArray":
			case !notInputFiles[name]:
				t.Errorf("%s: a new string flag; mark it inputFiles (and read it through harness/infile) or list it in notInputFiles", name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(NewRoot(IO{}))
	return out
}

// TestInputFileFlags points every file-taking flag of every command at
// /dev/zero, a 1 GB sparse file and a FIFO no one writes to: each ends with
// exit 2 and one line naming the flag, within the pipe deadline, without
// the child's memory growing.
func TestInputFileFlags(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sparse := filepath.Join(dir, "sparse")
	if err := os.WriteFile(sparse, nil, 0o600); err != nil || os.Truncate(sparse, 1<<30) != nil {
		t.Fatal("truncate")
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	tok := write("token", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
	policy := write("policy.json", string(trust.LeastPrivilege(trust.ProviderARN("123456789012", "issuer.test"), "issuer.test", "sts.amazonaws.com", "sub")))
	config := write("sts.json", `{"providers":[{"url":"issuer.test/id/X","client_ids":["sts.amazonaws.com"]}]}`)
	// base are the other arguments a command needs to reach the flag's file.
	base := map[string][]string{
		"run":          {"run", "--issuer", "https://127.0.0.1:1"},
		"explain":      {"explain", "--token", tok, "--trust-policy", policy},
		"serve issuer": {"serve", "issuer"},
		"serve sts":    {"serve", "sts", "--config", config},
		"thumbprint":   {"thumbprint", "https://127.0.0.1:1"},
	}
	flags := inputFileFlags(t)
	if len(flags) < 12 {
		t.Fatalf("only %d file-taking flags found: %v", len(flags), flags)
	}
	// The children mostly wait (on a FIFO), so they run together, not
	// limited to -parallel.
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	defer wg.Wait()
	for _, name := range flags {
		cmd, flag, _ := strings.Cut(name, " --")
		args, ok := base[cmd]
		if !ok {
			t.Errorf("%s: no base arguments for command %q", name, cmd)
			continue
		}
		if name == "run --evidence" || name == "run --targets" {
			args = []string{"run"}
		}
		for _, file := range []string{"/dev/zero", sparse, fifo} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				r := cliRusage(t, append(append([]string(nil), args...), "--"+flag, file)...)
				t := prefixed{t, name + " " + filepath.Base(file)}
				if r.code != ExitUsage || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "--"+flag+" "+file) {
					t.Errorf("exit %d, stderr %q; want exit 2 and one line naming --%s %s", r.code, r.stderr, flag, file)
				}
				if r.elapsed > infile.DefaultWait+3*time.Second {
					t.Errorf("took %s", r.elapsed)
				}
				if !raceEnabled && r.maxRSS > 100<<20 { // the race detector's shadow memory inflates it
					t.Errorf("max RSS %d MiB", r.maxRSS>>20)
				}
			}()
		}
	}
}

// prefixed names the case in a message from a goroutine.
type prefixed struct {
	t    *testing.T
	name string
}

func (p prefixed) Errorf(format string, a ...any) {
	p.t.Errorf("%s: "+format, append([]any{p.name}, a...)...)
}

// rusageResult is a child's result with its wall time and peak memory.
type rusageResult struct {
	result
	elapsed time.Duration
	maxRSS  int64
}

// cliRusage is cli, measuring the child.
func cliRusage(t *testing.T, args ...string) rusageResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1", "NO_COLOR=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := rusageResult{elapsed: time.Since(start)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Errorf("run %v: %v", args, err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	r.stdout, r.stderr = out.String(), errb.String()
	return r
}

// TestConflictingTokenSources: two token sources are bad input, not a
// silent precedence.
func TestConflictingTokenSources(t *testing.T) {
	tok := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tok, []byte("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"), 0o600)
	for _, args := range [][]string{
		{"--token-file", tok, "--token", "-"},
		{"--token-file", tok, "--token-cmd", "echo x"},
		{"--token", "-", "--token-cmd", "echo x"},
	} {
		var stderr bytes.Buffer
		code := Execute(context.Background(), IO{In: strings.NewReader("x"), Out: &bytes.Buffer{}, Err: &stderr},
			append([]string{"run", "--issuer", "https://127.0.0.1:1"}, args...))
		if code != ExitUsage || !strings.Contains(stderr.String(), "give one token source") {
			t.Errorf("%v: exit %d, %q; want exit 2 naming the conflict", args, code, stderr.String())
		}
	}
}
