package reports

import (
	"strings"
	"testing"
)

// TestPrettyDeepBody: a hostile body nested 100,000 deep is shown as it
// came, not indented into gigabytes; a normal one is indented.
func TestPrettyDeepBody(t *testing.T) {
	deep := `{"issuer":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`
	if got := pretty([]byte(deep)); got != deep {
		t.Errorf("a deep body was rewritten (%d bytes)", len(got))
	}
	if got := pretty([]byte(`{"a":{"b":["[x"]}}`)); !strings.Contains(got, "\n") {
		t.Errorf("a shallow body was not indented: %q", got)
	}
	for _, tt := range []struct {
		in   string
		want int
	}{{`{}`, 1}, {`{"a":[{"b":1}]}`, 3}, {`{"s":"[[[{\"]"}`, 1}, {`[[]]`, 2}} {
		if got := nesting([]byte(tt.in)); got != tt.want {
			t.Errorf("nesting(%s) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
