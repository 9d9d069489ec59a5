package cli

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
)

// fixture starts an issuer and returns the flags that reach and trust it.
func fixture(t *testing.T, profile string, defects ...string) (*issuer.Server, []string) {
	t.Helper()
	return fixtureWith(t, issuer.Config{Profile: profile, Defects: defects})
}

// fixtureWith starts an issuer built from cfg and returns the flags that
// reach it (every --resolve address) and trust it.
func fixtureWith(t *testing.T, cfg issuer.Config) (*issuer.Server, []string) {
	t.Helper()
	srv, err := issuer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, srv.CA().RootPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--issuer", srv.IssuerURL(), "--ca-file", caFile, "--thumbprint", pki.Thumbprint(srv.CA().Intermediate)}
	for hp, addrs := range srv.ResolveAll() {
		args = append(args, "--resolve", hp+":"+strings.Join(addrs, ","))
	}
	return srv, args
}

// jsonReport reads a --json report: status by check ID.
func jsonReport(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Targets []struct {
			Results []struct{ ID, Status string }
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tg := range r.Targets {
		for _, res := range tg.Results {
			out[res.ID] = res.Status
		}
	}
	return out
}

func TestRunGoodIssuerWritesEveryReport(t *testing.T) {
	_, args := fixture(t, "eks")
	dir := t.TempDir()
	r := cli(t, append([]string{"run", "--junit", dir + "/j.xml", "--json", dir + "/r.json", "--markdown", dir + "/r.md", "--save-evidence", dir + "/ev.json"}, args...)...)
	if r.code != ExitPass {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, " passed, 0 failed") {
		t.Errorf("console report: %s", r.stdout)
	}
	for _, f := range []string{"j.xml", "r.json", "r.md", "ev.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	// A run from the saved evidence gives the same verdicts, with no network.
	r2 := cli(t, "run", "--evidence", dir+"/ev.json", "--json", dir+"/r2.json")
	if r2.code != ExitPass {
		t.Fatalf("evidence run exit %d: %s", r2.code, r2.stderr)
	}
	if a, b := jsonReport(t, dir+"/r.json"), jsonReport(t, dir+"/r2.json"); len(a) == 0 || !mapsEqual(a, b) {
		t.Errorf("verdicts differ: live %v, from evidence %v", a, b)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRunFromEvidenceOfADefect(t *testing.T) {
	_, args := fixture(t, "eks", "issuer-trailing-slash")
	dir := t.TempDir()
	r := cli(t, append([]string{"run", "--save-evidence", dir + "/ev.json", "--json", dir + "/a.json"}, args...)...)
	if r.code != ExitFail {
		t.Fatalf("exit %d, want 1", r.code)
	}
	r = cli(t, "run", "--evidence", dir+"/ev.json", "--json", dir+"/b.json")
	if r.code != ExitFail || jsonReport(t, dir+"/b.json")["DISC-005"] != "failed" {
		t.Errorf("evidence run: exit %d, DISC-005 %q", r.code, jsonReport(t, dir+"/b.json")["DISC-005"])
	}
}

func TestRunUnreachableIssuerFailsDISC001(t *testing.T) {
	dir := t.TempDir()
	start := time.Now()
	r := cli(t, "run", "--issuer", "https://127.0.0.1:1", "--json", dir+"/r.json")
	if r.code != ExitFail {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	if s := jsonReport(t, dir+"/r.json")["DISC-001"]; s != "failed" {
		t.Errorf("DISC-001 %q, want failed", s)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestRunStrictTurnsWarningsIntoFailures(t *testing.T) {
	_, args := fixture(t, "eks", "discovery-content-type")
	if r := cli(t, append([]string{"run"}, args...)...); r.code != ExitPass {
		t.Errorf("warning without --strict: exit %d, want 0", r.code)
	}
	if r := cli(t, append([]string{"run", "--strict"}, args...)...); r.code != ExitFail {
		t.Errorf("warning with --strict: exit %d, want 1", r.code)
	}
}

func TestRunLabelFilterAndFocus(t *testing.T) {
	_, args := fixture(t, "eks", "wrong-name-cert")
	dir := t.TempDir()
	// TLS-001 fails, but only discovery checks are selected: exit 0.
	r := cli(t, append([]string{"run", "--label-filter", "discovery", "--json", dir + "/r.json"}, args...)...)
	rep := jsonReport(t, dir+"/r.json")
	if r.code != ExitPass || rep["TLS-001"] != "skipped" || rep["DISC-001"] != "passed" {
		t.Errorf("label filter: exit %d, TLS-001 %q, DISC-001 %q", r.code, rep["TLS-001"], rep["DISC-001"])
	}
	r = cli(t, append([]string{"run", "--focus", "TLS-001", "--json", dir + "/f.json"}, args...)...)
	rep = jsonReport(t, dir+"/f.json")
	if r.code != ExitFail || rep["TLS-001"] != "failed" || rep["DISC-001"] != "skipped" {
		t.Errorf("focus: exit %d, TLS-001 %q, DISC-001 %q", r.code, rep["TLS-001"], rep["DISC-001"])
	}
}

func TestRunDryRunWritesNothing(t *testing.T) {
	dir := t.TempDir()
	r := cli(t, "run", "--dry-run", "--issuer", "https://issuer.test", "--label-filter", "tls", "--junit", dir+"/j.xml")
	if r.code != ExitPass || !strings.Contains(r.stdout, "TLS-003") || strings.Contains(r.stdout, "DISC-001") || !strings.Contains(r.stdout, "8 checks would run") {
		t.Errorf("dry run: exit %d\n%s", r.code, r.stdout)
	}
	if _, err := os.Stat(dir + "/j.xml"); !os.IsNotExist(err) {
		t.Errorf("dry run wrote a report (err %v)", err)
	}
}

func TestBadInputExits2WithOneLine(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	os.WriteFile(notPEM, []byte("hello"), 0o644)
	// A token whose iss is a multi-line JSON array: the error quoting it
	// must still be one line.
	multiLineIss := filepath.Join(dir, "iss.jwt")
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	os.WriteFile(multiLineIss, []byte(b64(`{"alg":"RS256"}`)+"."+b64("{\"iss\":[\n\"x\",\n\"y\"]}")+".c2lnbmF0dXJl"), 0o600)
	savedEvidence := filepath.Join(dir, "ev.json")
	os.WriteFile(savedEvidence, []byte(`{"version":1,"targets":[{"input":{"issuer":"https://x.test"}}]}`), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not a URL", []string{"run", "--issuer", "://x"}, "--issuer"},
		{"relative URL", []string{"run", "--issuer", "issuer.test"}, "absolute URL"},
		{"no issuer", []string{"run"}, "no --issuer"},
		{"unreadable ca file", []string{"run", "--issuer", "https://x.test", "--ca-file", dir + "/missing.pem"}, "--ca-file"},
		{"ca file not PEM", []string{"run", "--issuer", "https://x.test", "--ca-file", notPEM}, "no PEM certificate"},
		{"bad label filter", []string{"run", "--issuer", "https://x.test", "--label-filter", "a &&"}, "--label-filter"},
		{"bad thumbprint", []string{"run", "--issuer", "https://x.test", "--thumbprint", "abc"}, "--thumbprint"},
		{"unwritable report", []string{"run", "--issuer", "https://x.test", "--junit", dir + "/no/such/dir/j.xml"}, "--junit"},
		{"bad profile", []string{"run", "--issuer", "https://x.test", "--profile", "gcp"}, "--profile"},
		{"bad resolve", []string{"run", "--issuer", "https://x.test", "--resolve", "x.test:443"}, "--resolve"},
		{"unknown flag", []string{"run", "--nope"}, "unknown flag"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unreadable evidence", []string{"run", "--evidence", dir + "/missing.json"}, "--evidence"},
		{"unknown defect", []string{"demo", "--defect", "nope", "--out", dir}, "nope"},
		{"thumbprint not https", []string{"thumbprint", "http://x.test"}, "https"},
		{"thumbprint zero timeout", []string{"thumbprint", "https://x.test", "--timeout", "0s"}, "--timeout"},
		{"bad focus regexp", []string{"run", "--issuer", "https://x.test", "--focus", "(["}, "--focus"},
		{"token names its issuer over lines", []string{"run", "--token-file", multiLineIss}, "no --issuer"},
		{"issuer twice", []string{"run", "--issuer", "https://x.test", "--issuer", "https://x.test"}, "twice"},
		{"watch shorter than its interval", []string{"run", "--issuer", "https://x.test", "--watch", "1s", "--watch-interval", "2s"}, "--watch"},
		{"evidence with a token", []string{"run", "--evidence", savedEvidence, "--token-file", multiLineIss}, "--token-file"},
		{"evidence without discovery", []string{"run", "--evidence", savedEvidence}, "no discovery fetch"},
		{"role in an unknown partition", []string{"run", "--issuer", "https://x.test", "--role-arn", "arn:aws-iso:iam::111122223333:role/r"}, "--role-arn"},
		{"duration too short", []string{"run", "--issuer", "https://x.test", "--role-arn", "arn:aws:iam::111122223333:role/r", "--duration-seconds", "60"}, "--duration-seconds 60"},
		{"sts without a role", []string{"run", "--issuer", "https://x.test", "--sts", "aws"}, "--sts needs --role-arn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, tt.args...)
			if r.code != ExitUsage {
				t.Errorf("exit %d, want 2 (stderr %q)", r.code, r.stderr)
			}
			r.oneLine(t, tt.want)
		})
	}
}

func TestList(t *testing.T) {
	r := cli(t, "list", "--json")
	var checks []struct{ ID, Severity, Area, Reference, Title string }
	if err := json.Unmarshal([]byte(r.stdout), &checks); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range checks {
		ids = append(ids, c.ID)
		if c.Severity == "" || c.Area == "" || c.Reference == "" || c.Title == "" {
			t.Errorf("%s has empty fields: %+v", c.ID, c)
		}
	}
	for _, want := range []string{"DISC-001", "DISC-013", "TLS-001", "TLS-005"} {
		if !slices.Contains(ids, want) {
			t.Errorf("list lacks %s", want)
		}
	}
	if r := cli(t, "list"); !strings.Contains(r.stdout, "DISC-005") || r.code != 0 {
		t.Errorf("table list: %d %s", r.code, r.stdout)
	}
}

// demoResult is one check's line of a --json report.
type demoResult struct {
	ID, Status string
	BlockedBy  string `json:"blocked_by"`
}

// jsonResults reads every result of a --json report.
func jsonResults(t *testing.T, path string) []demoResult {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Targets []struct{ Results []demoResult }
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	var out []demoResult
	for _, tg := range r.Targets {
		out = append(out, tg.Results...)
	}
	return out
}

// TestDemoDefectMatrix replays `serve issuer --list-defects --json` from the
// outside: `demo --defect NAME` reports exactly the listed IDs as found, the
// roots, and every check they keep from being judged as skipped, blocked by
// one of them.
func TestDemoDefectMatrix(t *testing.T) {
	r := cli(t, "serve", "issuer", "--list-defects", "--json")
	var defects []struct {
		Name, Description, Profile string
		Fails                      []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &defects); err != nil || len(defects) == 0 {
		t.Fatalf("list-defects: %v\n%s", err, r.stdout)
	}
	for _, profile := range []string{"eks", "github"} {
		good := cli(t, "demo", "--profile", profile, "--out", t.TempDir())
		if good.code != ExitPass || strings.Contains(good.stdout, "FAIL") {
			t.Fatalf("good %s demo exit %d\n%s", profile, good.code, good.stdout)
		}
	}
	for _, d := range defects {
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := []string{"demo", "--defect", d.Name, "--out", dir}
			if d.Profile != "" {
				args = append(args, "--profile", d.Profile)
			}
			r := cli(t, args...)
			var found []string
			status := map[string]string{}
			results := jsonResults(t, dir+"/report.json")
			for _, res := range results {
				status[res.ID] = res.Status
				if res.Status == "failed" || res.Status == "warning" {
					found = append(found, res.ID)
				}
			}
			slices.Sort(found)
			want := slices.Sorted(slices.Values(d.Fails))
			if !slices.Equal(found, want) {
				t.Errorf("found %v, want %v", found, want)
			}
			for _, res := range results {
				if res.BlockedBy == "" {
					continue
				}
				if res.Status != "skipped" || !slices.Contains(want, res.BlockedBy) || status[res.BlockedBy] != "failed" {
					t.Errorf("%s %s blocked by %s: want skipped, blocked by one of %v that failed", res.ID, res.Status, res.BlockedBy, want)
				}
			}
			junit, err := os.ReadFile(filepath.Join(dir, "junit.xml"))
			if err != nil {
				t.Fatal(err)
			}
			for _, res := range results {
				if res.BlockedBy != "" && !strings.Contains(string(junit), `<skipped message="not judged: `+res.BlockedBy+` failed"`) {
					t.Errorf("junit.xml has no <skipped message=\"not judged: %s failed\"> for %s", res.BlockedBy, res.ID)
				}
			}
			for _, f := range []string{"console.txt", "junit.xml", "report.json", "report.md"} {
				if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
					t.Errorf("%s: %v", f, err)
				}
			}
			if r.code != ExitPass && r.code != ExitFail {
				t.Errorf("exit %d", r.code)
			}
		})
	}
}

func TestThumbprint(t *testing.T) {
	srv, args := fixture(t, "eks")
	// args: --issuer URL --ca-file F --thumbprint T --resolve ...
	flags := append([]string{"thumbprint", srv.IssuerURL(), "--ca-file", args[3]}, args[6:]...)
	r := cli(t, flags...)
	if want := pki.Thumbprint(srv.CA().Intermediate); r.code != 0 || strings.TrimSpace(r.stdout) != want {
		t.Errorf("thumbprint: exit %d, %q, want %q (stderr %s)", r.code, r.stdout, want, r.stderr)
	}
}
