package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// fleetFixture starts one server hosting n eks issuers and returns their
// URLs and the flags that reach and trust them (without --issuer).
func fleetFixture(t *testing.T, n int) ([]string, []string) {
	t.Helper()
	srv, args := fixtureWith(t, issuer.Config{Profile: "eks", Issuers: n})
	return srv.IssuerURLs(), args[2:]
}

// putFile writes content to name in dir and returns its path.
func putFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// targetNames reads the target names of a --json report, in order.
func targetNames(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ Targets []struct{ Name string } }
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range r.Targets {
		names = append(names, tg.Name)
	}
	return names
}

// readBytes reads a file the test needs.
func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// junitTimes are the timing attributes, which a merge does not reproduce.
var junitTimes = regexp.MustCompile(`time="[0-9.]+"`)

// measured are the timings a check reports in its message ("answered in
// 3ms"): two runs differ there and nowhere else.
var measured = regexp.MustCompile(`answered in [0-9.]+[µm]?s`)

// sameApartFromTimings compares two reports with their timings blanked.
func sameApartFromTimings(a, b []byte) bool {
	clean := func(x []byte) []byte { return measured.ReplaceAll(junitTimes.ReplaceAll(x, nil), nil) }
	return bytes.Equal(clean(a), clean(b))
}

// The fleet workflow end to end: a targets file (file order kept, an eks
// describe-cluster entry, a broken target), the whole run, the same run in
// two shards merged back (the same reports), and a rerun of what failed.
func TestFleetTargetsShardsMergeRerun(t *testing.T) {
	urls, flags := fleetFixture(t, 3)
	dir := t.TempDir()
	cluster := putFile(t, dir, "cluster.json", `{"cluster":{"name":"prod","identity":{"oidc":{"issuer":"`+urls[2]+`"}}}}`)
	broken := strings.TrimSuffix(urls[0], "/") + "-gone"
	targets := putFile(t, dir, "targets.yaml", `# file order, not alphabetical
targets:
  - name: zulu
    issuer: `+urls[0]+`
  - name: broken
    issuer: `+broken+`
  - name: alpha
    eks_cluster: `+filepath.Base(cluster)+`
  - issuer: `+urls[1]+`
`)
	wantOrder := []string{"zulu", "broken", "alpha", urls[1]}
	run := func(extra ...string) result {
		return cli(t, append(append([]string{"run", "--targets", targets}, flags...), extra...)...)
	}
	whole := run("--json", dir+"/r.json", "--junit", dir+"/r.xml", "--markdown", dir+"/r.md", "--html", dir+"/r.html")
	if whole.code != ExitFail {
		t.Fatalf("whole run: exit %d, want 1 (one target is broken)\n%s%s", whole.code, whole.stdout, whole.stderr)
	}
	if got := targetNames(t, dir+"/r.json"); !equalStrings(got, wantOrder) {
		t.Errorf("targets %q, want the file's order %q", got, wantOrder)
	}
	for i := range 2 {
		r := run("--shard", []string{"0/2", "1/2"}[i], "--json", dir+"/s"+[]string{"0", "1"}[i]+".json")
		if r.code != ExitFail && r.code != ExitPass {
			t.Fatalf("shard %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	if got := targetNames(t, dir+"/s1.json"); !equalStrings(got, []string{"broken", urls[1]}) {
		t.Errorf("shard 1/2 holds %q, want every second target from the second", got)
	}
	if page := string(readBytes(t, dir+"/r.html")); !strings.Contains(page, "FAILED: ") || !strings.Contains(page, "zulu") || !strings.Contains(page, "discovery: "+urls[0]) {
		t.Errorf("HTML report lacks the verdict, a target or its evidence")
	}
	m := cli(t, "report", "merge", dir+"/s1.json", dir+"/s0.json", "--json", dir+"/m.json", "--junit", dir+"/m.xml", "--markdown", dir+"/m.md", "--html", dir+"/m.html")
	if m.code != ExitFail || !strings.Contains(m.stdout, "failed") {
		t.Fatalf("merge: exit %d, want 1\n%s%s", m.code, m.stdout, m.stderr)
	}
	// The merge of the shards is the whole run's report, byte for byte but
	// for the timings the two runs measured.
	for _, ext := range []string{".json", ".md", ".xml"} {
		if a, b := readBytes(t, dir+"/r"+ext), readBytes(t, dir+"/m"+ext); !sameApartFromTimings(a, b) {
			t.Errorf("merged %s report differs from the whole run's apart from timings:\n%s\nwant\n%s", ext, b, a)
		}
	}
	rerun := run("--rerun-failed", dir+"/r.json", "--json", dir+"/again.json")
	if rerun.code != ExitFail {
		t.Fatalf("rerun: exit %d\n%s", rerun.code, rerun.stderr)
	}
	if got := targetNames(t, dir+"/again.json"); !equalStrings(got, []string{"broken"}) {
		t.Errorf("rerun probed %q, want only the failed target", got)
	}
}

// equalStrings compares two string slices.
func equalStrings(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// A JSON targets file on standard input; the flags give the defaults.
func TestFleetTargetsFromStdin(t *testing.T) {
	urls, flags := fleetFixture(t, 2)
	dir := t.TempDir()
	in := `[{"name":"b","issuer":"` + urls[1] + `"},{"name":"a","issuer":"` + urls[0] + `","audience":"sts.amazonaws.com"}]`
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], append([]string{"run", "--targets", "-", "--json", dir + "/r.json"}, flags...)...)
	cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1", "NO_COLOR=1")
	cmd.Stdin = strings.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	if got := targetNames(t, dir+"/r.json"); !equalStrings(got, []string{"b", "a"}) {
		t.Errorf("targets %q, want [b a]", got)
	}
	validateReports(t, []string{"--json", dir + "/r.json"})
}

// A bad entry is exit 2, one line naming the entry and the field.
func TestFleetBadTargetsFile(t *testing.T) {
	dir := t.TempDir()
	noOIDC := putFile(t, dir, "c.json", `{"cluster":{"name":"x","identity":{}}}`)
	for _, tt := range []struct{ name, content, want string }{
		{"unknown field", "- name: a\n  issuer: https://a.test\n  audiance: x\n", `entry 1 ("a"): line 3: field audiance not found`},
		{"bad issuer", "- issuer: https://a.test\n- name: b\n  issuer: ftp://b.test\n", `entry 2 ("b"): issuer`},
		{"no issuer", "- name: a\n", `entry 1 ("a"): issuer: no issuer`},
		{"both", "- issuer: https://a.test\n  eks_cluster: c.json\n", `entry 1: eks_cluster: give issuer or eks_cluster`},
		{"cluster without oidc", "- eks_cluster: " + noOIDC + "\n", `entry 1: eks_cluster: ` + noOIDC + `: no cluster.identity.oidc.issuer`},
		{"bad thumbprint", "- issuer: https://a.test\n  thumbprints: [abc]\n", `entry 1: thumbprints`},
		{"bad lifetime", "- issuer: https://a.test\n  max_token_lifetime: forever\n", `entry 1: max_token_lifetime`},
		{"bad role", "- issuer: https://a.test\n  role_arn: arn:aws:iam::1:role/x\n", `entry 1: role_arn`},
		{"missing provider file", "- issuer: https://a.test\n  iam_provider: nope.json\n", `entry 1: iam_provider`},
		{"duplicate name", "- issuer: https://a.test\n- issuer: https://a.test\n", `entry 2: name "https://a.test" is also entry 1's`},
		{"not a list", "name: a\n", `field name not found`},
		{"empty", "targets: []\n", `no target in it`},
		{"not yaml", "- [\n", `not YAML or JSON`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := putFile(t, dir, "t.yaml", tt.content)
			r := cli(t, "run", "--targets", f)
			if r.code != ExitUsage {
				t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
			}
			r.oneLine(t, tt.want)
		})
	}
	r := cli(t, "run", "--targets", putFile(t, dir, "ok.yaml", "- issuer: https://a.test\n"), "--issuer", "https://b.test")
	if r.code != ExitUsage {
		t.Errorf("--targets with --issuer: exit %d, want 2", r.code)
	}
	r = cli(t, "run", "--issuer", "https://a.test", "--shard", "2/2")
	if r.code != ExitUsage {
		t.Errorf("--shard 2/2: exit %d, want 2", r.code)
	}
	r.oneLine(t, "--shard")
}

// More than five targets: a line per target, then the failures; waivers
// (in force, expired, unused) in every report; GitHub annotations.
func TestFleetConsoleWaiversAnnotations(t *testing.T) {
	urls, flags := fleetFixture(t, 6)
	dir := t.TempDir()
	var entries strings.Builder
	entries.WriteString("- name: broken\n  issuer: " + strings.TrimSuffix(urls[0], "/") + "-gone\n")
	for i, u := range urls {
		fmt.Fprintf(&entries, "- name: prod-%d\n  issuer: %s\n", i, u)
	}
	targets := putFile(t, dir, "targets.yaml", entries.String())
	future := time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)
	past := time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)
	inForce := "- check: DISC-001\n  target: brok*\n  reason: decommissioned, ticket 7\n  owner: team-a\n  expires: " + future + "\n"
	run := func(waivers string, env ...string) result {
		w := putFile(t, dir, "waivers.yaml", waivers)
		return cliEnv(t, env, append([]string{"run", "--targets", targets, "--waivers", w, "--json", dir + "/r.json", "--junit", dir + "/r.xml"}, flags...)...)
	}
	r := run(inForce)
	if r.code != ExitPass {
		t.Fatalf("every failure waived: exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	if !strings.HasPrefix(lines[0], "pass  broken  https://") || !strings.HasPrefix(lines[1], "pass  prod-0  https://") || len(lines) > 20 {
		t.Errorf("fleet console: want a line per target in file order, got:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "1 waived") || !strings.Contains(r.stdout, "waived: decommissioned, ticket 7 (team-a, until "+future+")") {
		t.Errorf("console does not show the waiver:\n%s", r.stdout)
	}
	if !strings.Contains(string(readBytes(t, dir+"/r.json")), `"status": "waived"`) ||
		!strings.Contains(string(readBytes(t, dir+"/r.xml")), `<skipped message="waived: decommissioned, ticket 7`) {
		t.Errorf("JSON or JUnit report lacks the waived status")
	}
	if !strings.Contains(r.stderr, "probed 7/7 targets") {
		t.Errorf("no progress on stderr: %q", r.stderr)
	}
	expired := strings.Replace(inForce, future, past, 1) + "- check: JWKS-004\n  target: prod-*\n  reason: r\n  owner: team-b\n  expires: " + future + "\n"
	r = run(expired, "GITHUB_ACTIONS=true")
	if r.code != ExitFail {
		t.Fatalf("expired waiver: exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"FAIL  broken", "expired on " + past, "JWKS-004 on prod-* (team-b) covered nothing",
		"::error title=DISC-001 broken::", "::error title=waiver DISC-001 brok*::", "::warning title=waiver JWKS-004 prod-*::"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(string(readBytes(t, dir+"/r.json")), `"waivers": [`) {
		t.Errorf("JSON report lacks the waiver findings")
	}
	bad := cli(t, "run", "--issuer", "https://a.test", "--waivers", putFile(t, dir, "bad.yaml", "- check: NOPE-001\n  target: '*'\n  reason: r\n  owner: o\n  expires: 2030-01-01\n"))
	if bad.code != ExitUsage {
		t.Errorf("unknown check in a waiver: exit %d, want 2", bad.code)
	}
	bad.oneLine(t, `entry 1: check: "NOPE-001" is not a check ID`)
	bad = cli(t, "run", "--issuer", "https://a.test", "--waivers", putFile(t, dir, "bad.yaml", "- check: DISC-001\n  target: '*'\n  owner: o\n  expires: 2030-01-01\n"))
	bad.oneLine(t, `entry 1: reason: missing`)
}

// The example targets and waivers files read as the real ones do.
func TestFleetExampleFiles(t *testing.T) {
	o := &RunOptions{Targets: "../../examples/fleet/targets.yaml", Audience: "sts.amazonaws.com", Profile: "aws", MaxTokenLifetime: 24 * time.Hour}
	targets, err := o.buildTargets(nil)
	if err != nil || len(targets) != 3 || targets[0].Name != "prod-us-east-1" {
		t.Fatalf("example targets: %v %+v", err, targets)
	}
	ws, err := readWaivers("../../examples/fleet/waivers.yaml", suites.Catalog())
	if err != nil || len(ws) != 1 {
		t.Fatalf("example waivers: %v %+v", err, ws)
	}
}
