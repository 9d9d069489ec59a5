package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/reports"
)

// flagDefaults is the target the flags describe: every entry's defaults.
func (o *RunOptions) flagDefaults() targetSpec {
	return targetSpec{
		Audience: o.Audience, Profile: o.defaultProfile(), CAFile: o.CAFile, Thumbprints: o.Thumbprints,
		Resolve: o.Resolve, MaxTokenLifetime: o.MaxTokenLifetime.String(),
		IAMProvider: o.IAMProvider, TrustPolicy: o.TrustPolicy, RoleARN: o.RoleARN,
	}
}

// defaultProfile is the profile of an entry that names none: the one plan
// chose for the relying parties asked for, else --profile, else aws.
func (o *RunOptions) defaultProfile() string {
	switch {
	case o.base != "":
		return o.base
	case o.Profile != "":
		return o.Profile
	}
	return string(check.AWS)
}

// buildTargets validates every target, once: the entries of --targets (in
// the file's order) or one per --issuer, the flags giving the defaults.
func (o *RunOptions) buildTargets(issuers []string) ([]Target, error) {
	def := o.flagDefaults()
	var specs []targetSpec
	fromFile := o.Targets != ""
	if fromFile {
		var err error
		if specs, err = readTargetsFile(o.Targets, o.IO.In); err != nil {
			return nil, err
		}
	} else {
		for _, iss := range issuers {
			specs = append(specs, targetSpec{Issuer: iss})
		}
	}
	targets := make([]Target, 0, len(specs))
	names := map[string]int{}
	for i, spec := range specs {
		merged, own := spec.withDefaults(def)
		label := func(field string) string {
			if !fromFile {
				return flagOf[field]
			}
			l := fmt.Sprintf("--targets %s: entry %d%s: %s", o.Targets, i+1, quotedName(spec.Name), field)
			if !own[field] && flagOf[field] != "" && field != "issuer" {
				l += " (from " + flagOf[field] + ")"
			}
			return l
		}
		t, err := buildTarget(merged, i, label)
		if err != nil {
			return nil, err
		}
		if prev, dup := names[t.Name]; dup {
			if fromFile {
				return nil, fmt.Errorf("--targets %s: entry %d: name %q is also entry %d's (names must be unique; set name:)", o.Targets, i+1, t.Name, prev+1)
			}
			return nil, fmt.Errorf("--issuer %q is given twice", t.Name)
		}
		names[t.Name] = i
		targets = append(targets, t)
	}
	return targets, nil
}

// quotedName is ` ("name")`, or "" for an entry without a name.
func quotedName(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", name)
}

// shard is part Index of Count of a fleet (Index from 0).
type shard struct{ index, count int }

// parseShard reads --shard I/N, 0 <= I < N.
func parseShard(s string) (*shard, error) {
	if s == "" {
		return nil, nil
	}
	i, n, ok := strings.Cut(s, "/")
	idx, err1 := strconv.Atoi(i)
	cnt, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || cnt < 1 || idx < 0 || idx >= cnt {
		return nil, fmt.Errorf("--shard %q: want I/N with 0 <= I < N (e.g. $JOB_COMPLETION_INDEX/4)", s)
	}
	return &shard{index: idx, count: cnt}, nil
}

// holds reports whether the target at position i of the list is this shard's:
// a stable round-robin split of the list's order.
func (s *shard) holds(i int) bool { return s == nil || i%s.count == s.index }

// selectTargets keeps the targets of this shard and, with --rerun-failed,
// those that failed in that report.
func (o *RunOptions) selectTargets(all []Target, sh *shard) ([]Target, error) {
	var failed map[string]bool
	if o.RerunFailed != "" {
		var err error
		if failed, err = failedTargets(o.RerunFailed); err != nil {
			return nil, err
		}
	}
	out := all[:0:0]
	for _, t := range all {
		if sh.holds(t.Index) && (failed == nil || failed[t.Name]) {
			out = append(out, t)
		}
	}
	if len(out) == 0 && o.RerunFailed != "" {
		return nil, fmt.Errorf("--rerun-failed %s: no target of this run failed there", o.RerunFailed)
	}
	return out, nil
}

// failedTargets reads a --json report and returns the names of the targets
// with a failed check.
func failedTargets(path string) (map[string]bool, error) {
	f, err := infile.Open("--rerun-failed", path, infile.Report)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := reports.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("--rerun-failed %s: %w", path, err)
	}
	out := map[string]bool{}
	for _, t := range res.Targets {
		for _, r := range t.Results {
			if r.Status == check.Failed {
				out[t.Label()] = true
			}
		}
	}
	return out, nil
}

// attachOwnTokens reads the token of each target that names its own
// token_file or token_cmd.
func attachOwnTokens(ctx context.Context, jobs []probe.Job, targets []Target) error {
	for i, t := range targets {
		if t.TokenFile == "" && t.TokenCmd == "" {
			continue
		}
		raw, source, err := token.Source{File: t.TokenFile, Cmd: t.TokenCmd}.Read(ctx)
		if err != nil {
			return fmt.Errorf("target %q: %w", t.Name, err)
		}
		jobs[i].Token, jobs[i].TokenSource = raw, source
	}
	return nil
}
