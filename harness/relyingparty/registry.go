package relyingparty

import (
	"fmt"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// All is what --for takes to ask for every relying party.
const All = "all"

// Registry is every relying party, in the order the matrix lists them.
type Registry []Party

// Names returns the parties' names in order.
func (r Registry) Names() []string {
	out := make([]string, len(r))
	for i, p := range r {
		out[i] = p.Name
	}
	return out
}

// Lookup returns the party called name.
func (r Registry) Lookup(name string) (Party, bool) {
	for _, p := range r {
		if p.Name == name {
			return p, true
		}
	}
	return Party{}, false
}

// Select returns the parties a --for value names: comma-separated names, or
// "all", in registry order, each once.
func (r Registry) Select(list string) (Registry, error) {
	asked := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		switch _, ok := r.Lookup(name); {
		case name == All:
			return r, nil
		case !ok:
			return nil, fmt.Errorf("unknown relying party %q (valid: %s, or all)", name, strings.Join(r.Names(), ", "))
		}
		asked[name] = true
	}
	var out Registry
	for _, p := range r {
		if asked[p.Name] {
			out = append(out, p)
		}
	}
	return out, nil
}

// Profiles returns the profiles of the parties, each once: the shared
// checks of any of them are judged.
func (r Registry) Profiles() []check.Profile {
	var out []check.Profile
	for _, p := range r {
		if !slices.Contains(out, p.Profile) {
			out = append(out, p.Profile)
		}
	}
	return out
}

// BaseProfile is the profile the shared checks are judged under: aws when
// AWS STS is among the parties (its rules are the strictest the shared
// checks encode), else the first party's.
func (r Registry) BaseProfile() check.Profile {
	ps := r.Profiles()
	switch {
	case slices.Contains(ps, check.AWS):
		return check.AWS
	case len(ps) > 0:
		return ps[0]
	}
	return check.AWS
}

// owner returns the name of the party whose own check id is, or "".
func (r Registry) owner(id string) string {
	for _, p := range r {
		if p.owns(id) {
			return p.Name
		}
	}
	return ""
}

// Catalog returns shared, then the own checks of every party of r.
func (r Registry) Catalog(shared check.Catalog) check.Catalog {
	out := slices.Clone(shared)
	for _, p := range r {
		if p.Checks != nil {
			out = append(out, p.Checks()...)
		}
	}
	return out
}

// Only returns the checks of cat that the parties of sub use: every shared
// check, and the own checks of sub's parties only (all is the registry).
func (all Registry) Only(cat check.Catalog, sub Registry) check.Catalog {
	var out check.Catalog
	for _, c := range cat {
		owner := all.owner(c.ID)
		if _, asked := sub.Lookup(owner); owner == "" || asked {
			out = append(out, c)
		}
	}
	return out
}

// Inputs returns every input of every party with the party's name.
func (r Registry) Inputs() []struct {
	Party string
	Input
} {
	var out []struct {
		Party string
		Input
	}
	for _, p := range r {
		for _, in := range p.Inputs {
			out = append(out, struct {
				Party string
				Input
			}{p.Name, in})
		}
	}
	return out
}
