package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/suites"
)

// TestREADMECatalogInSync keeps the README's check table equal to the code's
// catalog. Regenerate with: go test ./cmd/cli -run README (with UPDATE_README=1)
func TestREADMECatalogInSync(t *testing.T) {
	const start, end = "<!-- catalog:start -->\n", "<!-- catalog:end -->"
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Skipf("no README: %v", err)
	}
	readme := string(b)
	i, j := strings.Index(readme, start), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatal("README has no catalog markers")
	}
	var table bytes.Buffer
	if err := writeCatalogMarkdown(&table, suites.FullCatalog()); err != nil {
		t.Fatal(err)
	}
	if readme[i+len(start):j] == table.String() {
		return
	}
	if os.Getenv("UPDATE_README") == "1" {
		readme = readme[:i+len(start)] + table.String() + readme[j:]
		if err := os.WriteFile("../../README.md", []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Error("README's check table is out of date: run UPDATE_README=1 go test ./cmd/cli -run README")
}
