package token

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/infile"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestSourceRead(t *testing.T) {
	file := writeFile(t, "token", "from-file\n")
	envFile := writeFile(t, "irsa", "from-env\n")
	empty := writeFile(t, "empty", " \n")
	big := writeFile(t, "big", strings.Repeat("x", MaxTokenRead+1))
	oneMB := strings.Repeat("x", 1_000_000) // over STS's limit: read, for TOK-001 to judge
	oneMBFile := writeFile(t, "1mb", oneMB+"\n")
	irsa := env(map[string]string{EnvTokenFile: envFile})
	tests := []struct {
		name string
		src  Source
		raw  string
		desc string
		err  string // substring; "" = no error
		// hidden must not be in the error (an argument of the command).
		hidden string
	}{
		{name: "nothing configured", src: Source{Env: env(nil)}},
		{name: "nil Env is not consulted", src: Source{}},
		{name: "file", src: Source{File: file}, raw: "from-file", desc: "--token-file " + file},
		{name: "file wins over everything", src: Source{File: file, Stdin: true, Cmd: "echo from-cmd", Env: irsa, In: strings.NewReader("from-stdin")},
			raw: "from-file", desc: "--token-file " + file},
		{name: "stdin wins over cmd and env", src: Source{Stdin: true, Cmd: "echo from-cmd", Env: irsa, In: strings.NewReader("from-stdin\n")},
			raw: "from-stdin", desc: "--token - (standard input)"},
		{name: "cmd wins over env", src: Source{Cmd: "echo from-cmd", Env: irsa}, raw: "from-cmd", desc: "--token-cmd echo ..."},
		{name: "env fallback", src: Source{Env: irsa}, raw: "from-env", desc: EnvTokenFile + "=" + envFile},
		{name: "cmd with quoted arguments", src: Source{Cmd: `printf '%s.%s' "a b" c`}, raw: "a b.c", desc: "--token-cmd printf ..."},
		{name: "unreadable file", src: Source{File: filepath.Join(t.TempDir(), "missing")}, err: "no such file"},
		{name: "directory", src: Source{File: t.TempDir()}, err: "is a directory"},
		{name: "empty file", src: Source{File: empty}, err: "token file " + empty + " is empty"},
		{name: "env names a missing file", src: Source{Env: env(map[string]string{EnvTokenFile: "/nonexistent/token"})}, err: "no such file"},
		{name: "file over the cap", src: Source{File: big}, err: "--token-file " + big + ": larger than 1 MiB", hidden: "xxxxxxxx"},
		{name: "a 1 MB file is read", src: Source{File: oneMBFile}, raw: oneMB, desc: "--token-file " + oneMBFile},
		{name: "1 MB on stdin is read", src: Source{Stdin: true, In: strings.NewReader(oneMB)}, raw: oneMB, desc: "--token - (standard input)"},
		{name: "stdin over the cap", src: Source{Stdin: true, In: strings.NewReader(strings.Repeat("x", MaxTokenRead+1))},
			err: "--token -: larger than 1 MiB", hidden: "xxxxxxxx"},
		{name: "1 MB from a command is read", src: Source{Cmd: `sh -c "head -c 1000000 /dev/zero | tr '\\0' x"`}, raw: oneMB, desc: "--token-cmd sh ..."},
		{name: "empty stdin", src: Source{Stdin: true, In: strings.NewReader("")}, err: "standard input is empty"},
		{name: "cmd prints nothing", src: Source{Cmd: "true"}, err: `the output of --token-cmd true is empty`},
		{name: "cmd fails: stderr shown", src: Source{Cmd: `sh -c 'echo line one >&2; echo >&2; echo line two >&2; exit 3'`},
			err: `exit status 3: line one | line two`},
		{name: "cmd stderr trimmed", src: Source{Cmd: `sh -c 'for i in 1 2 3 4 5 6; do echo err$i >&2; done; exit 1'`},
			err: `err1 | err2 | ...`},
		{name: "cmd fails: a token on stderr is redacted",
			src: Source{Cmd: `sh -c 'echo "error: bad token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here" >&2; exit 1'`},
			err: `exit status 1: error: bad token [redacted] here`},
		{name: "cmd fails: a signature on stderr is redacted",
			src: Source{Cmd: `sh -c 'echo "signature ` + strings.Repeat("Sg-_", 11) + ` rejected, kid 4c1f9b2d8e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c" >&2; exit 1'`},
			err: `exit status 1: signature [redacted] rejected, kid [redacted]`},
		{name: "cmd fails: its arguments are not shown", src: Source{Cmd: `false --token eyJhbGciOiJIUzI1NiJ9.e30.c2VjcmV0LXNpZ25hdHVyZQ`},
			err: `--token-cmd false: exit status 1`, hidden: "c2VjcmV0"},
		{name: "cmd not found: its arguments are not shown", src: Source{Cmd: `no-such-command-xyz --password hunter2-secret`},
			err: `--token-cmd no-such-command-xyz:`, hidden: "hunter2"},
		{name: "cmd hangs: its arguments are not shown", src: Source{Cmd: "sh -c 'sleep 30' SECRETARGUMENT", Timeout: 200 * time.Millisecond},
			err: "--token-cmd sh: killed after 200ms", hidden: "SECRET"},
		{name: "cmd echoes an argument on stderr", src: Source{Cmd: "sleep SECRETARGUMENT"}, err: "--token-cmd sleep: exit status 1", hidden: "SECRET"},
		{name: "cmd not found", src: Source{Cmd: "no-such-command-xyz"}, err: "executable file not found"},
		{name: "cmd badly quoted", src: Source{Cmd: `echo 'a`}, err: "unterminated single quote"},
		{name: "cmd prints too much", src: Source{Cmd: `head -c 1048577 /dev/zero`}, err: "--token-cmd head: printed more than 1 MiB"},
		{name: "cmd hangs: killed at the timeout", src: Source{Cmd: "sleep 30", Timeout: 200 * time.Millisecond}, err: "killed after 200ms"},
		{name: "cmd hangs in a child: the group is killed", src: Source{Cmd: "sh -c 'sleep 30; echo done'", Timeout: 200 * time.Millisecond},
			err: "killed after 200ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			raw, desc, err := tt.src.Read(context.Background())
			if time.Since(start) > time.Second {
				t.Errorf("Read took %s", time.Since(start))
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Read = %q, %q, %v; want error containing %q", raw, desc, err, tt.err)
				}
				if tt.hidden != "" && strings.Contains(err.Error(), tt.hidden) {
					t.Errorf("the error shows %q: %v", tt.hidden, err)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans lines: %q", err)
				}
				return
			}
			if err != nil || raw != tt.raw || desc != tt.desc {
				t.Fatalf("Read = %q, %q, %v; want %q, %q", raw, desc, err, tt.raw, tt.desc)
			}
		})
	}
}

// FuzzSummary: whatever a failing command prints on stderr, the summary
// shown holds no run of 16 or more base64url characters (a token, a piece
// of its signature) and is one short line.
func FuzzSummary(f *testing.F) {
	f.Add([]byte("error: bad token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here\n"))
	f.Add([]byte("sig " + strings.Repeat("Sg-_", 11) + "\nline two\nline three\n"))
	f.Add([]byte("abcdefghijklmno\xffpqrstuvwxyz0123456789"))
	f.Fuzz(func(t *testing.T, stderr []byte) {
		got := summary(stderr)
		run := 0
		for i := 0; i < len(got); i++ {
			c := got[i]
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
				if run++; run >= window {
					t.Fatalf("summary %q holds a base64url run of %d", got, run)
				}
				continue
			}
			run = 0
		}
		if strings.Contains(got, "\n") || len(got) > stderrLines*(stderrLineLen+8)+8 {
			t.Fatalf("summary is %d bytes or spans lines: %q", len(got), got)
		}
	})
}

// What a source reads is what a token file may hold: one cap.
func TestOneTokenCap(t *testing.T) {
	if MaxTokenRead != infile.Token.Max {
		t.Errorf("MaxTokenRead %d, infile.Token.Max %d: one cap for every token source", MaxTokenRead, infile.Token.Max)
	}
}
