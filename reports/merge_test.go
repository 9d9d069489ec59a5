package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// fleet is a whole run of n targets, each with one result.
func fleet(n int) Results {
	var ts []TargetResults
	for i := range n {
		st := check.Passed
		if i%2 == 1 {
			st = check.Failed
		}
		ts = append(ts, TargetResults{Name: string(rune('z' - i)), Issuer: "https://i.test/" + string(rune('a'+i)), Index: i,
			Results: []Result{{ID: "DISC-001", Title: "t", Status: st, Message: "m"}}})
	}
	return NewResults(ts)
}

// split cuts r into count shards the way --shard does (round robin).
func split(r Results, count int) []Results {
	parts := make([]Results, count)
	for i := range parts {
		var ts []TargetResults
		for _, t := range r.Targets {
			if t.Index%count == i {
				ts = append(ts, t)
			}
		}
		parts[i] = NewResults(ts)
		parts[i].Shard = &Shard{Index: i, Count: count, Total: len(r.Targets)}
	}
	return parts
}

func TestMergeIsTheWholeRun(t *testing.T) {
	whole := fleet(7)
	parts := split(whole, 3)
	// Shards may come in any order.
	parts[0], parts[2] = parts[2], parts[0]
	got, err := Merge(parts)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := WriteJSON(&a, whole); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&b, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("merged report differs from the whole run's:\n%s\nwant\n%s", b.Bytes(), a.Bytes())
	}
}

func TestMergeErrors(t *testing.T) {
	parts := split(fleet(5), 2)
	other := split(fleet(6), 3)
	for _, tt := range []struct {
		name  string
		parts []Results
		want  string
	}{
		{"none", nil, "no report"},
		{"missing shard", parts[:1], "shard 1/2 is missing"},
		{"twice", []Results{parts[0], parts[0], parts[1]}, "given twice"},
		{"other split", []Results{parts[0], other[1]}, "split"},
		{"whole run and shard", []Results{fleet(2), parts[0]}, "a whole run"},
		{"same target twice", []Results{fleet(2), fleet(2)}, "in two reports"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Merge(tt.parts); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Merge error = %v, want %q", err, tt.want)
			}
		})
	}
}
