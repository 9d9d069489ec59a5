package reports_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/reports/schematest"
)

// Every JSON report the writer tests produce (the golden files) follows the schema.
func TestGoldenJSONFollowsSchema(t *testing.T) {
	files, err := filepath.Glob("testdata/json-*.golden")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden JSON reports (%v)", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := schematest.Validate(b); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// The schema is strict: it rejects what a reader of the format must not see.
func TestSchemaRejects(t *testing.T) {
	good, err := os.ReadFile("testdata/json-passing.golden")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, from, to string }{
		{"unknown field", `"version": 1,`, `"version": 1, "extra": true,`},
		{"other version", `"version": 1`, `"version": 2`},
		{"unknown status", `"status": "passed"`, `"status": "fine"`},
		{"no issuer", `"issuer": "https://issuer.example",`, ``},
		{"negative count", `"passed": 1`, `"passed": -1`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := bytes.Replace(good, []byte(tt.from), []byte(tt.to), 1)
			if bytes.Equal(bad, good) {
				t.Fatalf("%q is not in the golden report", tt.from)
			}
			if err := schematest.Validate(bad); err == nil || !strings.Contains(err.Error(), "schema") {
				t.Errorf("Validate = %v, want a schema error", err)
			}
		})
	}
}
