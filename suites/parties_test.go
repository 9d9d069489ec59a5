package suites_test

import (
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/suites"
)

// TestRelyingPartyCatalog: the full catalog validates, and every relying
// party's own check carries its prefix.
func TestRelyingPartyCatalog(t *testing.T) {
	if err := suites.FullCatalog().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, p := range suites.RelyingParties() {
		if p.Checks == nil {
			continue
		}
		for _, c := range p.Checks() {
			if !strings.HasPrefix(c.ID, p.Prefix) {
				t.Errorf("%s: check %s lacks the prefix %s", p.Name, c.ID, p.Prefix)
			}
		}
	}
}
