package relyingparty_test

import (
	"slices"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// registry is two parties over a three-check catalog: A reads its profile,
// B reads SHARED-2 only and owns B-001.
func registry() (relyingparty.Registry, check.Catalog) {
	aws := []check.Profile{check.AWS}
	all := []check.Profile{check.AWS, check.Kubernetes}
	cat := check.Catalog{
		{ID: "SHARED-1", Profiles: aws}, {ID: "SHARED-2", Profiles: all},
		{ID: "B-001", Profiles: []check.Profile{check.Kubernetes}},
	}
	return relyingparty.Registry{
		{Name: "a", Profile: check.AWS, Needs: []string{"SHARED-1"}},
		{Name: "b", Profile: check.Kubernetes, Prefix: "B-", Reads: []string{"SHARED-2"}, Needs: []string{"B-001"}, Doubts: []string{"B-001"}},
	}, cat
}

func TestJudge(t *testing.T) {
	reg, cat := registry()
	pass := relyingparty.Outcome{Status: check.Passed}
	fail := relyingparty.Outcome{Status: check.Failed}
	tests := []struct {
		name     string
		outcomes map[string]relyingparty.Outcome
		want     []string // verdict and blocking of a, then b
	}{
		{"all pass", map[string]relyingparty.Outcome{"SHARED-1": pass, "SHARED-2": pass, "B-001": pass},
			[]string{"accepts []", "accepts []"}},
		{"a's rule fails: b does not read it", map[string]relyingparty.Outcome{"SHARED-1": fail, "SHARED-2": pass, "B-001": pass},
			[]string{"rejects [SHARED-1]", "accepts []"}},
		{"b's own check fails: a never reads another party's check", map[string]relyingparty.Outcome{"SHARED-1": pass, "SHARED-2": pass, "B-001": fail},
			[]string{"accepts []", "rejects [B-001]"}},
		{"a blocked dependent is not a root", map[string]relyingparty.Outcome{"SHARED-1": pass, "SHARED-2": fail,
			"B-001": {Status: check.Skipped, BlockedBy: "SHARED-2"}}, []string{"rejects [SHARED-2]", "rejects [SHARED-2]"}},
		{"blocked by a rule b does not read: unknown", map[string]relyingparty.Outcome{"SHARED-1": fail, "SHARED-2": pass,
			"B-001": {Status: check.Skipped, BlockedBy: "SHARED-1"}}, []string{"rejects [SHARED-1]", "unknown []"}},
		{"a needed check skipped: unknown", map[string]relyingparty.Outcome{"SHARED-1": {Status: check.Skipped, Message: "no token"},
			"SHARED-2": pass, "B-001": pass}, []string{"unknown []", "accepts []"}},
		{"a doubted check warns: unknown", map[string]relyingparty.Outcome{"SHARED-1": pass, "SHARED-2": pass,
			"B-001": {Status: check.Warning, Message: "untested"}}, []string{"accepts []", "unknown []"}},
		{"a doubted check warns beside a failure: rejects", map[string]relyingparty.Outcome{"SHARED-1": pass, "SHARED-2": fail,
			"B-001": {Status: check.Warning, Message: "untested"}}, []string{"rejects [SHARED-2]", "rejects [SHARED-2]"}},
		{"a needed check filtered out: unknown", map[string]relyingparty.Outcome{"SHARED-2": pass, "B-001": pass},
			[]string{"unknown []", "accepts []"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := reg.Matrix(&evidence.Target{}, cat, tt.outcomes, reg)
			var got []string
			for _, r := range rows {
				got = append(got, string(r.Verdict)+" "+bracket(r.Blocking))
				if r.Verdict == relyingparty.Unknown && len(r.Assumed) == 0 {
					t.Errorf("%s: unknown without saying why", r.RelyingParty)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func bracket(ids []string) string {
	s := "["
	for i, id := range ids {
		if i > 0 {
			s += " "
		}
		s += id
	}
	return s + "]"
}

func TestSelect(t *testing.T) {
	reg, _ := registry()
	for _, tt := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"b,a", []string{"a", "b"}, false}, {"all", []string{"a", "b"}, false}, {" b ", []string{"b"}, false},
		{"c", nil, true}, {"", nil, true},
	} {
		got, err := reg.Select(tt.in)
		if (err != nil) != tt.err || !slices.Equal(got.Names(), tt.want) {
			t.Errorf("Select(%q) = %v, %v; want %v (error %v)", tt.in, got.Names(), err, tt.want, tt.err)
		}
	}
	if !slices.Equal(reg.Profiles(), []check.Profile{check.AWS, check.Kubernetes}) || reg.BaseProfile() != check.AWS {
		t.Errorf("profiles %v, base %s", reg.Profiles(), reg.BaseProfile())
	}
}
