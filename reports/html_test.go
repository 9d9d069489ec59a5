package reports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
)

// observedTarget is a target with evidence: documents, a real TLS chain and
// a rotation watch in which key "k1" gives way to "k2".
func observedTarget(t *testing.T) *evidence.Target {
	t.Helper()
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Leaf([]string{"issuer.example"}, pki.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tlsRec := &evidence.TLS{Host: "issuer.example:443", ServerName: "issuer.example", Version: "TLS 1.3", Chain: leaf.Certificate, Verified: true}
	hop := func(url, body string) *evidence.Exchange {
		return &evidence.Exchange{URL: url, Elapsed: evidence.Duration(42 * time.Millisecond),
			Hops: []evidence.Hop{{URL: url, Status: 200, Body: []byte(body), TLS: tlsRec}}}
	}
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var polls []evidence.Poll
	for i, kids := range []string{`"k1"`, `"k1"`, `"k1"},{"kid":"k2"`, `"k2"`} {
		polls = append(polls, evidence.Poll{At: start.Add(time.Duration(i) * time.Minute), JWKS: hop("https://issuer.example/keys", `{"keys":[{"kid":`+kids+`}]}`)})
	}
	return &evidence.Target{
		Input:     evidence.Input{Name: "prod <one>", Issuer: issuerA},
		Discovery: hop(issuerA+"/.well-known/openid-configuration", `{"issuer":"`+issuerA+`","jwks_uri":"https://issuer.example/keys"}`),
		JWKS:      hop("https://issuer.example/keys", `{"keys":[{"kid":"k1","kty":"RSA","n":"`+strings.Repeat("uA", 171)+`"}]}`),
		Polls:     polls,
	}
}

// htmlFixture is a run of one observed target with a failure, a warning,
// a pass and a skip.
func htmlFixture(t *testing.T) Results {
	out := runner.Outcome{Targets: []runner.TargetVerdicts{{Target: observedTarget(t), Verdicts: []runner.Verdict{
		v("DISC-001", check.Passed, "200 OK"),
		v("DISC-002", check.Warning, "redirected <script>alert(1)</script>"),
		v("DISC-005", check.Failed, nastyMessage),
		v("TLS-001", check.Skipped, "not selected"),
	}}}}
	r := FromRun(out, testCatalog(t))
	r.Targets[0].Acceptance = []relyingparty.Row{
		{RelyingParty: "aws-sts", Verdict: relyingparty.Rejects, Blocking: []string{"DISC-005"}, Assumed: []string{"trust policy: <b>assumed</b>"}},
		{RelyingParty: "kubernetes-jwt", Verdict: relyingparty.Accepts, Blocking: []string{}, Login: "user https://issuer.example#sub"},
	}
	return r
}

func TestHTMLContents(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, htmlFixture(t)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"FAILED: 1 passed, 1 failed, 1 warnings, 1 skipped", "prod &lt;one&gt;", "&#34;jwks_uri&#34;: &#34;https://issuer.example/keys&#34;",
		"TLS 1.3 chain of issuer.example:443: verified", "Key rotation timeline (2 key IDs over 4 polls)", "<svg", "Set &#34;issuer&#34; to the exact URL",
		"&#34;n&#34;: &#34;uAuAuAuAuAuAuAuA… (342 characters)&#34;",
		`<tr class="rejects"><td>aws-sts</td><td class="st">rejects</td><td>DISC-005</td>`, "assumed: trust policy: &lt;b&gt;assumed&lt;/b&gt;",
		`<td class="st">accepts</td><td>-</td>`, "login: user https://issuer.example#sub"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>alert", "http://", "src=\"http", "\x1b", strings.Repeat("uA", 40)} {
		if strings.Contains(page, bad) {
			t.Errorf("page holds %q", bad)
		}
	}
}

// chromium finds a headless Chromium, or skips the test saying how to get one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on PATH: install the Debian package chromium (apt-get install -y chromium) to render the HTML report")
	return ""
}

// TestHTMLInChromium renders the report in headless Chromium: the page's
// script runs (the filter counts the checks), the text is there, a
// screenshot is taken, and the console shows no error (a script error or a
// fetch the Content-Security-Policy refused).
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := WriteHTML(&b, htmlFixture(t)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
			"--user-data-dir=" + filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0"}
		cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+page)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
		}
		return out.String(), errb.String()
	}
	dom, logs := run("--dump-dom")
	for _, want := range []string{"FAILED: 1 passed, 1 failed, 1 warnings, 1 skipped", "4 of 4 checks shown", "Key rotation timeline"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Content Security Policy") || strings.Contains(line, "Uncaught") {
			t.Errorf("console: %s", line)
		}
	}
	shot := filepath.Join(dir, "shot.png")
	run("--screenshot="+shot, "--window-size=1200,1600", "--hide-scrollbars")
	png, err := os.ReadFile(shot)
	if err != nil || len(png) < 1000 || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot: %d bytes, %v", len(png), err)
	}
}

// A fleet's page lists each target's findings only, with the count of the rest.
func TestHTMLFleetListsFindingsOnly(t *testing.T) {
	var ts []TargetResults
	for i := range FleetThreshold + 1 {
		ts = append(ts, TargetResults{Name: "t" + string(rune('a'+i)), Issuer: issuerA, Index: i, Results: []Result{
			{ID: "DISC-001", Status: check.Passed, Message: "quiet pass"},
			{ID: "DISC-005", Status: check.Failed, Message: "loud failure"},
		}})
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, NewResults(ts)); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if strings.Contains(page, "quiet pass") || strings.Count(page, "loud failure") != 2*len(ts) || !strings.Contains(page, "1 passed and 0 skipped not listed") {
		t.Errorf("fleet page: want findings only (twice each: summary and target) and the count of the rest")
	}
}
