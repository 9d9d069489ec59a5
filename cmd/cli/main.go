// Package cli is the oidc-conformance command line: thin cobra commands over
// the harness, the suites, the reports and the fixtures.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"unicode"

	"github.com/spf13/cobra"
)

// Version is the tool's version, sent in the User-Agent.
const Version = "0.1.0"

// Exit codes.
const (
	ExitPass  = 0 // every check passed (warnings allowed)
	ExitFail  = 1 // a check failed (or a warning with --strict)
	ExitUsage = 2 // bad input: flags, URLs, files
	ExitFault = 3 // the harness itself failed
)

// faultError is the harness's own failure (exit 3). Every other error a
// command returns is bad input (exit 2): flags, URLs, files, arguments.
type faultError struct{ err error }

// Error is the wrapped error's message.
func (e faultError) Error() string { return e.err.Error() }

// Unwrap returns the wrapped error.
func (e faultError) Unwrap() error { return e.err }

// faultf returns a faultError.
func faultf(format string, a ...any) error { return faultError{fmt.Errorf(format, a...)} }

// errChecksFailed is returned when a check failed; the reports already say which.
var errChecksFailed = errors.New("checks failed")

// IO is where a command reads and writes.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// Terminal is true when Out is a terminal (colour allowed).
	Terminal bool
	// ErrTerminal is true when Err is a terminal (a rewritten progress line).
	ErrTerminal bool
}

// Main runs the command line with the process's arguments and returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Terminal: isTerminal(os.Stdout), ErrTerminal: isTerminal(os.Stderr)}
	return Execute(ctx, streams, os.Args[1:])
}

// Execute runs the command line with args and returns the exit code. A
// panic is the harness's own fault (exit 3), never mistaken for bad input.
func Execute(ctx context.Context, streams IO, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(streams.Err, "oidc-conformance: internal error (a bug; please report it): %s\n", oneLine(fmt.Sprint(r)))
			code = ExitFault
		}
	}()
	root := NewRoot(streams)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitCode(streams.Err, err)
}

// exitCode maps an error to an exit code in one place, printing it as one line.
func exitCode(stderr io.Writer, err error) int {
	var fe faultError
	switch {
	case err == nil:
		return ExitPass
	case errors.Is(err, errChecksFailed):
		return ExitFail
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "oidc-conformance: %s\n", oneLine(err.Error()))
		return ExitFault
	default:
		fmt.Fprintf(stderr, "oidc-conformance: %s\n", oneLine(err.Error()))
		return ExitUsage
	}
}

// NewRoot builds the command tree.
func NewRoot(streams IO) *cobra.Command {
	root := &cobra.Command{
		Use:           "oidc-conformance",
		Short:         "Test an OpenID Connect issuer against what AWS IAM and STS require",
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.SetIn(streams.In)
	root.AddCommand(
		NewCmdRun(streams, nil),
		NewCmdList(streams),
		NewCmdDemo(streams, nil),
		NewCmdThumbprint(streams),
		NewCmdServe(streams),
		NewCmdExplain(streams, nil),
		NewCmdReport(streams),
	)
	return root
}

// isTerminal reports whether f is a character device.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// ginkgoMarkup is Ginkgo's colour markup ({{red}}, {{/}}) in error texts.
var ginkgoMarkup = regexp.MustCompile(`\{\{[a-z/0-9-]*\}\}`)

// oneLine makes an error message one printable line: markup and control
// characters (an issuer's or token's text may carry them) become spaces.
func oneLine(msg string) string {
	msg = ginkgoMarkup.ReplaceAllString(msg, "")
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, msg)
	return strings.Join(strings.Fields(msg), " ")
}
