package cli

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
)

// A token is a credential: the pipeline (reading it, probing, judging,
// reporting, saving evidence, and every error on the way) shows its decoded
// header and claims and a hash of its signature, never the token or its
// signature part. These tests run the CLI as a user would and search
// everything it printed or wrote.

// encodedToken matches what a report must never hold even when the token is
// not known to the test: a base64url JSON object (a token's header or claims
// part, "eyJ"...) or a run as long as an RSA signature part. Not for saved
// evidence, whose response bodies are base64 on purpose.
var encodedToken = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}|[A-Za-z0-9_-]{300,}`)

// mintFile mints a token with srv (broken as its defects say) and writes it
// to a file of its own directory, away from the outputs searched.
func mintFile(t *testing.T, srv *issuer.Server) (raw, path string) {
	t.Helper()
	raw, err := srv.MintToken(issuer.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	return raw, path
}

// secrets are the parts of raw never to be shown: the token, and its
// signature part (everything after the second dot) when it has one.
func secrets(raw string) map[string]string {
	s := map[string]string{"the token": raw}
	if parts := strings.SplitN(raw, ".", 3); len(parts) == 3 && parts[2] != "" {
		s["its signature part"] = parts[2]
	}
	return s
}

// shown returns what a run showed: its stdout and stderr, and every file
// under dirs, by name.
func shown(t *testing.T, r result, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			out[path] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// noSecret fails the test if any output contains a secret of raws: the
// token, its signature part, or any 16-character piece of the signature.
func noSecret(t *testing.T, outs map[string]string, raws ...string) {
	t.Helper()
	for _, raw := range raws {
		for what, secret := range secrets(raw) {
			for name, text := range outs {
				if strings.Contains(text, secret) {
					t.Errorf("%s reveals %s", name, what)
				}
			}
		}
		sig := secrets(raw)["its signature part"]
		for name, text := range outs {
			if piece := sigPiece(text, sig); piece != "" {
				t.Errorf("%s reveals %q, a 16-character piece of the signature", name, piece)
			}
		}
	}
}

// sigPiece returns a 16-character piece of sig found in text, or "".
func sigPiece(text, sig string) string {
	const window = 16
	pieces := map[string]bool{}
	for i := 0; i+window <= len(sig); i++ {
		pieces[sig[i:i+window]] = true
	}
	for i := 0; i+window <= len(text); i++ {
		if pieces[text[i:i+window]] {
			return text[i : i+window]
		}
	}
	return ""
}

// TestExplainRevealsNoToken: explain's outputs, for a token STS accepts and
// for one whose signature is broken, hold no piece of it.
func TestExplainRevealsNoToken(t *testing.T) {
	w := newExplainWorld(t)
	good := w.mint(t, issuer.TokenOptions{})
	parts := strings.Split(good, ".")
	broken := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))
	for _, tt := range []struct {
		name, raw string
		code      int
	}{{"accepted", good, ExitPass}, {"bad signature", broken, ExitFail}, {"no kid in the set", good, ExitFail}} {
		jwks := w.jwks
		if tt.name == "no kid in the set" {
			jwks = w.write(t, "empty-set.json", []byte(`{"keys":[]}`))
		}
		tok := w.write(t, "token-"+strings.ReplaceAll(tt.name, " ", "-"), []byte(tt.raw))
		r := runExplainCLI(t, "--token", tok, "--trust-policy", w.trust, "--iam-provider", w.provider, "--jwks", jwks, "--role-arn", explainRole)
		if r.code != tt.code && !(tt.name == "no kid in the set" && r.code == ExitUsage) {
			t.Errorf("%s: exit %d, want %d\n%s%s", tt.name, r.code, tt.code, r.stdout, r.stderr)
		}
		noSecret(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr}, tt.raw)
	}
}

// wantFiles fails the test unless each of paths was written (non-empty).
func wantFiles(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", p, err)
		}
	}
}

// TestRunRevealsNoToken: `run --token-file` with every report and the
// evidence, for a good token and for tokens broken where the verifiers'
// messages are (bad signature, algorithm confusion, no signature part), and
// a second run judging the saved evidence.
func TestRunRevealsNoToken(t *testing.T) {
	for _, tt := range []struct {
		defect string
		code   int
	}{{"", ExitPass}, {"token-bad-signature", ExitFail}, {"token-hs256-public-key", ExitFail}, {"token-no-signature", ExitFail}} {
		t.Run("defect "+tt.defect, func(t *testing.T) {
			t.Parallel()
			var defects []string
			if tt.defect != "" {
				defects = append(defects, tt.defect)
			}
			srv, args := fixture(t, "eks", defects...)
			raw, tokFile := mintFile(t, srv)
			dir := t.TempDir()
			r := cli(t, append([]string{"run", "--token-file", tokFile, "--junit", dir + "/j.xml", "--json", dir + "/r.json",
				"--markdown", dir + "/r.md", "--html", dir + "/r.html", "--save-evidence", dir + "/ev.json", "--save-jwks", dir + "/jwks.json", "--verbose"}, args...)...)
			if r.code != tt.code {
				t.Fatalf("run exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			wantFiles(t, dir+"/j.xml", dir+"/r.json", dir+"/r.md", dir+"/r.html", dir+"/ev.json")
			if rep := jsonReport(t, dir+"/r.json"); rep["TOK-001"] == "skipped" {
				t.Errorf("the token was not judged: TOK-001 %s", rep["TOK-001"])
			}
			noSecret(t, shown(t, r, dir), raw)

			again := cli(t, "run", "--evidence", dir+"/ev.json", "--json", dir+"/again.json", "--markdown", dir+"/again.md")
			if again.code != tt.code {
				t.Errorf("evidence run exit %d, want %d", again.code, tt.code)
			}
			noSecret(t, shown(t, again, dir), raw)
		})
	}
}

// TestDemoRevealsNoToken: the demo mints its token itself, so the test
// cannot know it; no output may hold anything shaped like one.
func TestDemoRevealsNoToken(t *testing.T) {
	for defect, root := range map[string]string{"token-bad-signature": "TOK-004", "token-hs256-public-key": "TOK-012"} {
		t.Run(defect, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			r := cli(t, "demo", "--defect", defect, "--out", dir)
			if r.code != ExitFail {
				t.Fatalf("demo exit %d, want 1\n%s", r.code, r.stderr)
			}
			if rep := jsonReport(t, dir+"/report.json"); rep[root] != "failed" {
				t.Errorf("%s %q, want failed", root, rep[root])
			}
			for name, text := range shown(t, r, dir) {
				if m := encodedToken.FindString(text); m != "" {
					t.Errorf("%s holds %.20s..., an encoded token part", name, m)
				}
			}
		})
	}
}

// TestTokenErrorsRevealNoToken: the error paths, where a message might be
// tempted to quote what it could not use.
func TestTokenErrorsRevealNoToken(t *testing.T) {
	srv, args := fixture(t, "eks")
	raw, tokFile := mintFile(t, srv)
	other, _ := fixture(t, "eks")
	otherRaw, otherFile := mintFile(t, other)
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string // substring of stderr
	}{
		// Signed by another issuer's key, for another iss: TOK-003, TOK-005 and ROT-005 fail.
		{name: "token of another issuer", args: append([]string{"run", "--token-file", otherFile, "--json", dir + "/other.json",
			"--junit", dir + "/other.xml", "--markdown", dir + "/other.md", "--save-evidence", dir + "/other-ev.json"}, args...),
			code: ExitFail},
		{name: "token-cmd prints the token on stderr and fails",
			args: append([]string{"run", "--token-cmd", "sh -c 'echo token: >&2; cat " + tokFile + " >&2; echo >&2; exit 3'"}, args...),
			code: ExitUsage, want: "exit status 3: token: | [redacted]"},
		{name: "token-cmd prints the token on both streams and fails",
			args: append([]string{"run", "--token-cmd", "sh -c 'cat " + tokFile + "; echo bad: $(cat " + tokFile + ") >&2; exit 1'"}, args...),
			code: ExitUsage, want: "bad: [redacted]"},
		{name: "token on the command line", args: append([]string{"run", "--token", raw}, args...),
			code: ExitUsage, want: `only "-"`},
		{name: "token as an argument of a failing token-cmd", args: append([]string{"run", "--token-cmd", "ls " + raw}, args...),
			code: ExitUsage, want: "--token-cmd ls: exit status"},
		{name: "token-cmd prints pieces of the signature on stderr",
			args: append([]string{"run", "--token-cmd", "sh -c 'cut -d. -f3 " + tokFile + " | fold -w 20 >&2; exit 2'"}, args...),
			code: ExitUsage, want: "exit status 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stderr %.300q; want %d and %q", r.code, r.stderr, tt.code, tt.want)
			}
			noSecret(t, shown(t, r, dir), raw, otherRaw)
		})
	}
	rep := jsonReport(t, dir+"/other.json")
	for _, id := range []string{"TOK-003", "TOK-005"} {
		if rep[id] != "failed" {
			t.Errorf("token of another issuer: %s %q, want failed", id, rep[id])
		}
	}
}

// TestWebIdentityTokenFileEnv: in an IRSA pod the token is at
// $AWS_WEB_IDENTITY_TOKEN_FILE; with no --issuer the issuer is the token's
// iss, and the claims checks pass.
func TestWebIdentityTokenFileEnv(t *testing.T) {
	srv, args := fixture(t, "eks")
	raw, tokFile := mintFile(t, srv)
	if args[0] != "--issuer" {
		t.Fatalf("fixture args %q do not start with --issuer", args)
	}
	dir := t.TempDir()
	r := cliEnv(t, []string{"AWS_WEB_IDENTITY_TOKEN_FILE=" + tokFile},
		append([]string{"run", "--json", dir + "/r.json", "--save-evidence", dir + "/ev.json"}, args[2:]...)...)
	if r.code != ExitPass {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	rep := jsonReport(t, dir+"/r.json")
	for _, id := range []string{"TOK-001", "TOK-002", "TOK-003", "TOK-004", "TOK-005", "TOK-006", "TOK-007", "TOK-008", "TOK-009", "TOK-010", "TOK-011"} {
		if rep[id] != "passed" {
			t.Errorf("%s %q, want passed", id, rep[id])
		}
	}
	b, err := os.ReadFile(dir + "/ev.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Targets []struct {
			Input struct{ Issuer string }
			Token struct{ Source string }
		}
	}
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.Targets) != 1 {
		t.Fatalf("evidence of %d targets, want 1", len(ev.Targets))
	}
	// Messages are clipped: a token in them would be a leak of the test's own.
	if got := ev.Targets[0]; got.Input.Issuer != srv.IssuerURL() || got.Token.Source != "AWS_WEB_IDENTITY_TOKEN_FILE="+tokFile {
		t.Errorf("target %q with the token from %.80q, want %q and AWS_WEB_IDENTITY_TOKEN_FILE=%s",
			got.Input.Issuer, got.Token.Source, srv.IssuerURL(), tokFile)
	}
	noSecret(t, shown(t, r, dir), raw)
}
