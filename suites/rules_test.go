package suites_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// TestRulesHaveChecks walks the STS model's rules and the catalog: every
// rule names a check (and related checks) that exists, and no two rules
// share an ID.
func TestRulesHaveChecks(t *testing.T) {
	cat := suites.Catalog()
	seen := map[stsrules.RuleID]bool{}
	for _, r := range stsrules.Rules() {
		switch {
		case seen[r.ID]:
			t.Errorf("rule %s registered twice", r.ID)
		case r.Check == "":
			t.Errorf("rule %s has no check", r.ID)
		case r.Code == "" || r.Doc == "":
			t.Errorf("rule %s has no STS code or no doc", r.ID)
		}
		seen[r.ID] = true
		for _, id := range append([]string{r.Check}, r.Related...) {
			if _, ok := cat.Lookup(id); !ok {
				t.Errorf("rule %s names check %s, which is not in the catalog", r.ID, id)
			}
		}
	}
}

// checkIDRE is a check ID as code writes it.
var checkIDRE = regexp.MustCompile(`\b(DISC|TLS|JWKS|ROT|TOK|IAM|STS)-[0-9]{3}\b`)

// TestCheckIDsInCodeAreInTheCatalog: every check ID any Go file names
// (messages, Requires, Blocked roots, defect lists, tests) is in the catalog.
func TestCheckIDsInCodeAreInTheCatalog(t *testing.T) {
	cat := suites.Catalog()
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, id := range checkIDRE.FindAllString(string(b), -1) {
			if _, ok := cat.Lookup(id); !ok {
				t.Errorf("%s names %s, which is not in the catalog", path, id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
