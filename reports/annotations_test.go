package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// At most 10 of each kind, then a count of the rest; messages stay one line.
func TestAnnotationsCapped(t *testing.T) {
	var ts []TargetResults
	for i := range 13 {
		ts = append(ts, TargetResults{Name: fmt.Sprintf("t%02d", i), Results: []Result{
			{ID: "DISC-001", Title: "a", Status: check.Failed, Message: "one\ntwo 100%"},
			{ID: "DISC-002", Title: "b", Status: check.Warning, Message: "w"},
		}})
	}
	ts = ts[:13]
	ts[12].Results = ts[12].Results[:1] // 13 errors, 12 warnings
	var b bytes.Buffer
	if err := WriteAnnotations(&b, NewResults(ts)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "::error "); n != 10 {
		t.Errorf("%d errors, want 10", n)
	}
	if n := strings.Count(out, "::warning "); n != 10 {
		t.Errorf("%d warnings, want 10", n)
	}
	for _, want := range []string{"::notice title=oidc-conformance::3 more errors", "::notice title=oidc-conformance::2 more warnings",
		"::error title=DISC-001 t00::a: one%0Atwo 100%25\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("annotations lack %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "\n") != 22 {
		t.Errorf("%d lines, want 22 (a message's newline must be escaped):\n%s", strings.Count(out, "\n"), out)
	}
}
