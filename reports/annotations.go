package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// MaxAnnotations is how many annotations of each kind are printed: GitHub
// shows no more than 10 errors and 10 warnings of a step.
const MaxAnnotations = 10

// WriteAnnotations writes GitHub Actions workflow commands for r: an
// ::error per failure and a ::warning per warning (title "<ID> <target>"),
// at most MaxAnnotations of each, then a ::notice counting those left out.
// Expired waivers are errors and unused ones warnings too.
func WriteAnnotations(w io.Writer, r Results) error {
	type note struct{ title, msg string }
	var errs, warns []note
	for _, t := range r.Targets {
		for _, res := range t.Results {
			n := note{res.ID + " " + t.Label(), res.Title + ": " + res.Message}
			switch res.Status {
			case check.Failed:
				errs = append(errs, n)
			case check.Warning:
				warns = append(warns, n)
			}
		}
	}
	for _, f := range r.Waivers {
		n := note{"waiver " + f.Check + " " + f.Target, f.Message}
		if f.Status == check.Failed {
			errs = append(errs, n)
		} else {
			warns = append(warns, n)
		}
	}
	var b bytes.Buffer
	for _, kind := range []struct {
		cmd   string
		notes []note
	}{{"error", errs}, {"warning", warns}} {
		for i, n := range kind.notes {
			if i == MaxAnnotations {
				fmt.Fprintf(&b, "::notice title=oidc-conformance::%d more %ss not annotated (see the reports)\n", len(kind.notes)-MaxAnnotations, kind.cmd)
				break
			}
			fmt.Fprintf(&b, "::%s title=%s::%s\n", kind.cmd, escapeProperty(n.title), escapeData(n.msg))
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("reports: write annotations: %w", err)
	}
	return nil
}

// escapeData escapes a workflow command's message (% CR LF), after making
// issuer text printable.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(printable(s, true))
}

// escapeProperty escapes a workflow command's property value (also : and ,).
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(printable(s, false))
}
