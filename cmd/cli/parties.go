package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/reports"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// forUsage is the help of --for.
func forUsage() string {
	return "relying parties to judge for, comma-separated: " + strings.Join(suites.RelyingParties().Names(), ", ") +
		", or all (the acceptance matrix has a row per party)"
}

// profileAliases map the --profile values, before --for, to relying parties.
var profileAliases = map[string]string{
	string(check.AWS):        suites.DefaultRelyingParty,
	string(check.Kubernetes): "kubernetes-jwt",
	string(check.OIDC):       string(check.OIDC),
}

// partyFlags are the relying parties' own input flags, registered from the
// registry: a new relying party's inputs need no change here.
type partyFlags struct {
	values map[string]*[]string
}

// register adds every relying party's input flags to fs.
func (pf *partyFlags) register(fs *pflag.FlagSet) {
	pf.values = map[string]*[]string{}
	for _, in := range suites.RelyingParties().Inputs() {
		v := new([]string)
		pf.values[in.Flag] = v
		fs.StringArrayVar(v, in.Flag, nil, in.Usage)
		if in.File {
			inputFiles(fs, in.Flag)
		} else {
			_ = fs.SetAnnotation(in.Flag, partyValueAnnotation, []string{"true"})
		}
	}
}

// partyValueAnnotation marks a relying party's input flag that names no
// file (a claim name, a URL).
const partyValueAnnotation = "oidc-conformance/relying-party-value"

// given returns the input flags set, sorted.
func (pf *partyFlags) given() []string {
	var out []string
	for flag, v := range pf.values {
		if len(*v) > 0 {
			out = append(out, "--"+flag)
		}
	}
	slices.Sort(out)
	return out
}

// selectParties resolves --for (and its alias --profile) to the parties.
// With --profile, forParties must judge the shared checks under that
// profile (see aliasProfile).
func selectParties(forList, profile string) (relyingparty.Registry, error) {
	if profile != "" {
		alias, ok := profileAliases[profile]
		switch {
		case !ok:
			return nil, fmt.Errorf("--profile %q: want aws, kubernetes or oidc (or use --for)", profile)
		case forList != "":
			return nil, fmt.Errorf("--profile is an alias of --for %s; give one of them", alias)
		}
		forList = alias
	}
	if forList == "" {
		forList = suites.DefaultRelyingParty
	}
	parties, err := suites.RelyingParties().Select(forList)
	if err != nil {
		return nil, fmt.Errorf("--for: %w", err)
	}
	return parties, nil
}

// inputs reads the input flags of the parties asked for; a flag of a
// party not asked for is an error (it would be silently ignored).
func (pf *partyFlags) inputs(parties relyingparty.Registry) ([]evidence.RelyingParty, error) {
	for _, in := range suites.RelyingParties().Inputs() {
		if _, asked := parties.Lookup(in.Party); !asked && len(*pf.values[in.Flag]) > 0 {
			return nil, fmt.Errorf("--%s %s: an input of %s, which --for does not ask for", in.Flag, (*pf.values[in.Flag])[0], in.Party)
		}
	}
	var out []evidence.RelyingParty
	for _, p := range parties {
		rp := evidence.RelyingParty{Name: p.Name}
		for _, in := range p.Inputs {
			vals := *pf.values[in.Flag]
			switch {
			case len(vals) == 0:
				continue
			case len(vals) > 1 && !in.Repeatable:
				return nil, fmt.Errorf("--%s is given %d times; give it once", in.Flag, len(vals))
			case in.File:
				body, err := infile.Read("--"+in.Flag, vals[0], infile.JSON)
				if err != nil {
					return nil, err
				}
				if rp.Files == nil {
					rp.Files = map[string]evidence.File{}
				}
				rp.Files[in.Flag] = evidence.File{Path: vals[0], Body: body}
			default:
				if rp.Values == nil {
					rp.Values = map[string][]string{}
				}
				rp.Values[in.Flag] = vals
			}
		}
		out = append(out, rp)
	}
	return out, nil
}

// forParties sets a job up for the parties: the profiles their checks
// need, their inputs (validated as the relying party would), and their own
// verifiers.
func forParties(job *probe.Job, parties relyingparty.Registry, inputs []evidence.RelyingParty, profile ...string) error {
	job.Input.Profile = string(parties.BaseProfile())
	if len(profile) > 0 && profile[0] != "" {
		// --profile X: the shared checks are judged under X, as before --for.
		job.Input.Profile = profile[0]
	}
	job.Input.Profiles = []string{job.Input.Profile}
	for _, p := range parties.Profiles() {
		if !slices.Contains(job.Input.Profiles, string(p)) {
			job.Input.Profiles = append(job.Input.Profiles, string(p))
		}
	}
	job.Input.RelyingParties = inputs
	for _, p := range parties {
		if p.Validate != nil {
			if err := p.Validate(job.Input); err != nil {
				return fmt.Errorf("%s: %w", p.Name, err)
			}
		}
		if p.Verifier != nil {
			job.Verifiers = append(job.Verifiers, p.Verifier)
		}
	}
	return nil
}

// askedBy is every party any target of run asks for, in registry order.
func askedBy(run *evidence.Run) relyingparty.Registry {
	all := suites.RelyingParties()
	var out relyingparty.Registry
	for _, p := range all {
		for _, t := range run.Targets {
			if _, ok := t.Input.Party(p.Name); ok {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// attachMatrix adds each target's acceptance matrix to res, judged from its
// results (after --strict and waivers) under cat; res's targets are run's,
// in order.
func attachMatrix(res *reports.Results, run *evidence.Run, cat check.Catalog) {
	all := suites.RelyingParties()
	for i := range res.Targets {
		if i >= len(run.Targets) || run.Targets[i] == nil {
			continue
		}
		t, tr := run.Targets[i], &res.Targets[i]
		outcomes := map[string]relyingparty.Outcome{}
		for _, r := range tr.Results {
			outcomes[r.ID] = relyingparty.Outcome{Status: r.Status, BlockedBy: r.BlockedBy, Message: r.Message}
		}
		tr.Acceptance = all.Matrix(t, cat, outcomes, all.Asked(t.Input))
	}
}

// baseProfile is the profile the shared checks are judged under: --profile's
// when given, else the parties'.
func baseProfile(parties relyingparty.Registry, profile string) check.Profile {
	if profile != "" {
		return check.Profile(profile)
	}
	return parties.BaseProfile()
}
