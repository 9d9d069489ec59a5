package reports

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// keysOf returns the sorted keys of a JSON object, failing if v is not one.
func keysOf(t *testing.T, what string, v any) []string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is %T, want a JSON object", what, v)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestWriteJSONFieldNames(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, FromRun(fixtureOutcome(), testCatalog(t))); err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	tests := []struct {
		what string
		v    func() any
		want []string
	}{
		{"document", func() any { return doc }, []string{"summary", "targets", "version"}},
		{"target", func() any { return doc.(map[string]any)["targets"].([]any)[0] }, []string{"index", "issuer", "name", "results"}},
		{"result", func() any {
			return doc.(map[string]any)["targets"].([]any)[0].(map[string]any)["results"].([]any)[0]
		}, []string{"area", "id", "message", "reference", "remediation", "severity", "status", "title"}},
		{"summary", func() any { return doc.(map[string]any)["summary"] }, []string{"failed", "passed", "skipped", "warnings"}},
	}
	for _, tt := range tests {
		t.Run(tt.what, func(t *testing.T) {
			if got := keysOf(t, tt.what, tt.v()); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s keys = %q, want %q", tt.what, got, tt.want)
			}
		})
	}
	if v := doc.(map[string]any)["version"]; v != float64(1) {
		t.Errorf("version = %v, want 1", v)
	}
}

func TestReadJSONRoundTrip(t *testing.T) {
	orig := FromRun(fixtureOutcome(), testCatalog(t))
	var b bytes.Buffer
	if err := WriteJSON(&b, orig); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(&b)
	if err != nil {
		t.Fatalf("ReadJSON: %v", err)
	}
	// JSON carries no durations.
	want := orig
	for i := range want.Targets {
		want.Targets[i].Results = append([]Result(nil), want.Targets[i].Results...)
		for j := range want.Targets[i].Results {
			want.Targets[i].Results[j].Duration = 0
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if got.Targets[0].Results[2].Message != nastyMessage {
		t.Errorf("message = %q, want %q", got.Targets[0].Results[2].Message, nastyMessage)
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"not JSON", "<xml/>", "reports: read json report: invalid character"},
		{"other version", `{"version":2,"targets":[]}`, "reports: read json report: version 2, want 1"},
		{"no version", `{"targets":[]}`, "reports: read json report: version 0, want 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("ReadJSON error = %v, want prefix %q", err, tt.wantErr)
			}
		})
	}
}
