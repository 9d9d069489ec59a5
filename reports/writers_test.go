package reports

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
)

// writer renders Results in one format.
type writer func(io.Writer, Results) error

// namedWriter is a writer and the name its golden files use.
type namedWriter struct {
	name  string
	write writer
}

// allWriters is every output format.
func allWriters() []namedWriter {
	return []namedWriter{
		{"console", func(w io.Writer, r Results) error { return WriteConsole(w, r, false) }},
		{"console-color", func(w io.Writer, r Results) error { return WriteConsole(w, r, true) }},
		{"junit", WriteJUnit},
		{"json", WriteJSON},
		{"markdown", WriteMarkdown},
		{"fleet", func(w io.Writer, r Results) error { return WriteFleetConsole(w, r, false) }},
		{"annotations", WriteAnnotations},
		{"html", WriteHTML},
	}
}

// inputs are the Results every writer is checked against.
func inputs(t *testing.T) []struct {
	name string
	r    Results
} {
	return []struct {
		name string
		r    Results
	}{
		{"fixture", FromRun(fixtureOutcome(), testCatalog(t))},
		{"empty", FromRun(runner.Outcome{}, testCatalog(t))},
		{"passing", FromRun(passingOutcome(), testCatalog(t))},
		{"waived", ApplyWaivers(FromRun(fixtureOutcome(), testCatalog(t)), fixtureWaivers(), waiverNow)},
		{"parties", withMatrix(FromRun(fixtureOutcome(), testCatalog(t)))},
	}
}

// withMatrix gives r's targets acceptance matrices with every verdict: the
// first is rejected by one party and unknown to another, the second
// accepted by all.
func withMatrix(r Results) Results {
	r.Targets[0].Acceptance = []relyingparty.Row{
		{RelyingParty: "aws-sts", Verdict: relyingparty.Rejects, Blocking: []string{"DISC-005"}, Assumed: []string{"trust policy: assumed to allow this token (no --trust-policy)"}},
		{RelyingParty: "azure-wif", Verdict: relyingparty.Unknown, Blocking: []string{}, Assumed: []string{"AZR-005 warned on a rule whose behaviour is unconfirmed: alg ES384"}},
		{RelyingParty: "kubernetes-jwt", Verdict: relyingparty.Accepts, Blocking: []string{}, Assumed: []string{}, Login: "user \"https://issuer.example#1234\""},
	}
	r.Targets[1].Acceptance = []relyingparty.Row{{RelyingParty: "aws-sts", Verdict: relyingparty.Accepts, Blocking: []string{}, Assumed: []string{}}}
	return r
}

func TestWritersGolden(t *testing.T) {
	for _, w := range allWriters() {
		for _, in := range inputs(t) {
			t.Run(w.name+"-"+in.name, func(t *testing.T) {
				var b bytes.Buffer
				if err := w.write(&b, in.r); err != nil {
					t.Fatalf("write: %v", err)
				}
				assertGolden(t, w.name+"-"+in.name, b.Bytes())
			})
		}
	}
}

// failingWriter fails every write.
type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWritersWrapWriteErrors(t *testing.T) {
	boom := errors.New("disk full")
	r := FromRun(fixtureOutcome(), testCatalog(t))
	for _, w := range allWriters() {
		t.Run(w.name, func(t *testing.T) {
			err := w.write(failingWriter{boom}, r)
			if !errors.Is(err, boom) {
				t.Fatalf("error = %v, want it to wrap %v", err, boom)
			}
			if got := err.Error(); got == boom.Error() {
				t.Errorf("error %q has no context", got)
			}
		})
	}
}
