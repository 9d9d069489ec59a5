package token

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/infile"
)

// Limits of a token source.
const (
	// MaxTokenRead caps what is read from any source (infile.Token's cap):
	// a token over STS's 20000 characters is read, measured and refused by
	// TOK-013 (stsrules.RuleTokenLength), never decoded past
	// stsrules.MaxDecodedBytes; only one over this cap is bad input.
	MaxTokenRead = 1 << 20
	// DefaultCmdTimeout is how long --token-cmd may run.
	DefaultCmdTimeout = 30 * time.Second
	// EnvTokenFile is the variable an IRSA pod has (EKS pod identity webhook).
	EnvTokenFile = "AWS_WEB_IDENTITY_TOKEN_FILE"
	// stderrLines is how many lines of a failed command's stderr are shown.
	stderrLines = 2
	// stderrLineLen caps each of those lines.
	stderrLineLen = 120
	// waitDelay bounds the wait for a killed command's pipes (a grandchild
	// may hold them open).
	waitDelay = 2 * time.Second
)

// Source says where the token comes from. The first configured field wins, in
// field order: File, Stdin, Cmd, then the file named by EnvTokenFile as read
// through Env.
type Source struct {
	// File is a path to a file holding the token (--token-file).
	File string
	// Stdin reads the token from In (--token -).
	Stdin bool
	// Cmd is a command printing the token (--token-cmd). It is split into
	// words like a shell would (single and double quotes, backslash escapes)
	// but run without a shell.
	Cmd string
	// Env looks up an environment variable; the CLI passes os.Getenv. Nil
	// means the environment is not consulted.
	Env func(string) string
	// In is standard input; nil means os.Stdin.
	In io.Reader
	// Timeout bounds Cmd; zero means DefaultCmdTimeout.
	Timeout time.Duration
}

// Read returns the token, without surrounding white space, and a description
// of where it came from (for evidence.Token.Source). It returns ("", "", nil)
// when no source is configured. An error is one line naming the problem: an
// unreadable file, an empty token, a command that failed or timed out.
func (s Source) Read(ctx context.Context) (raw, description string, err error) {
	switch {
	case s.File != "":
		return readFile("--token-file", s.File)
	case s.Stdin:
		in := s.In
		if in == nil {
			in = os.Stdin
		}
		raw, err := readToken(in, "standard input")
		return raw, "--token - (standard input)", err
	case s.Cmd != "":
		raw, err := s.run(ctx)
		// Only the program is recorded: its arguments may carry a credential.
		program := "?"
		if words, werr := splitWords(s.Cmd); werr == nil && len(words) > 0 {
			program = words[0]
		}
		return raw, "--token-cmd " + program + " ...", err
	case s.Env != nil && s.Env(EnvTokenFile) != "":
		path := s.Env(EnvTokenFile)
		return readFile(EnvTokenFile+"=", path)
	}
	return "", "", nil
}

// readFile reads the token in the file at path, named by flag ("--token-file"
// or "AWS_WEB_IDENTITY_TOKEN_FILE="), through the bounded reader.
func readFile(flag, path string) (string, string, error) {
	description := flag + " " + path
	if strings.HasSuffix(flag, "=") { // "AWS_WEB_IDENTITY_TOKEN_FILE=path"
		description = flag + path
	}
	b, err := infile.Read(strings.TrimSuffix(flag, "="), path, infile.Token)
	if err != nil {
		return "", description, fmt.Errorf("read token: %w", err)
	}
	raw, err := checkToken(b, "token file "+path)
	return raw, description, err
}

// readToken reads at most MaxTokenRead bytes of r and trims white space.
// A pipe must deliver within infile.DefaultWait.
func readToken(r io.Reader, what string) (string, error) {
	b, err := infile.ReadStream("--token -", r, infile.Token, infile.DefaultWait)
	if err != nil {
		return "", fmt.Errorf("read token from %s: %w", what, err)
	}
	return checkToken(b, what)
}

// checkToken trims b and rejects an empty or oversized token.
func checkToken(b []byte, what string) (string, error) {
	if len(b) > MaxTokenRead {
		return "", fmt.Errorf("read token: %s is larger than %d MiB", what, MaxTokenRead>>20)
	}
	raw := strings.TrimSpace(string(b))
	if raw == "" {
		return "", fmt.Errorf("read token: %s is empty", what)
	}
	return raw, nil
}

// run runs Cmd and returns what it printed.
func (s Source) run(ctx context.Context) (string, error) {
	args, err := splitWords(s.Cmd)
	if err != nil {
		return "", fmt.Errorf("--token-cmd: %w", err)
	}
	// Messages name the program alone: the arguments may carry a credential.
	program := args[0]
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultCmdTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.WaitDelay = waitDelay
	ownGroup(cmd)
	var stdout, stderr capped
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return "", fmt.Errorf("--token-cmd %s: killed after %s without finishing", program, timeout)
	case err != nil:
		msg := fmt.Sprintf("--token-cmd %s: %v", program, scrubError(err, args))
		if e := summary(hideArgs(stderr.Bytes(), args)); e != "" {
			msg += ": " + e
		}
		return "", errors.New(msg)
	case stdout.over:
		return "", fmt.Errorf("--token-cmd %s: printed more than %d MiB", program, MaxTokenRead>>20)
	}
	return checkToken(stdout.Bytes(), "the output of --token-cmd "+program)
}

// tokenLike matches what, in a failed command's stderr, may be the token or
// a piece of it: a run starting like a base64url JSON header ("eyJ", as every
// JWS and JWE does) with its dot-separated parts, or any run of 16 or more
// base64url characters (the window the output tests grep for).
var tokenLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*){0,4}|[A-Za-z0-9_-]{16,}`)

// hideArgs removes the command's arguments from what it printed (a tool
// may echo a bad argument: "invalid value 'SECRET'").
func hideArgs(b []byte, args []string) []byte {
	for _, a := range args[1:] {
		if len(a) >= 4 {
			b = bytes.ReplaceAll(b, []byte(a), []byte(redacted))
		}
	}
	return b
}

// scrubError is a run error (exec: "prog": not found, exit status 1) with
// any argument of the command removed: only the program may be shown.
func scrubError(err error, args []string) string {
	msg := err.Error()
	for _, a := range args[1:] {
		if len(a) >= 4 {
			msg = strings.ReplaceAll(msg, a, redacted)
		}
	}
	return tokenLike.ReplaceAllString(msg, redacted)
}

// summary is the first few non-empty lines of a command's stderr, on one
// line, with anything that may be a token or a signature redacted.
func summary(b []byte) string {
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		l = tokenLike.ReplaceAllString(strings.TrimSpace(l), redacted)
		if l == "" {
			continue
		}
		if len(l) > stderrLineLen {
			l = l[:stderrLineLen] + "..."
		}
		if len(lines) == stderrLines {
			lines = append(lines, "...")
			break
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, " | ")
}

// capped is a buffer that keeps the first MaxTokenRead bytes written to it
// and notes whether there were more. It holds its buffer as a field, not
// embedded: an embedded bytes.Buffer's ReadFrom would let io.Copy (as
// exec copies a command's output) fill it past the cap.
type capped struct {
	buf  bytes.Buffer
	over bool
}

// Write keeps what fits and reports the whole of p as written, so the command
// is not broken by a short write.
func (c *capped) Write(p []byte) (int, error) {
	if room := MaxTokenRead - c.buf.Len(); len(p) > room {
		c.over = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}

// Bytes returns what was kept.
func (c *capped) Bytes() []byte { return c.buf.Bytes() }
