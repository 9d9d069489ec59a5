package cli

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// Constants of the explain tests: the account and role the role ARN names,
// and the service account a minted token is for.
const (
	explainAccount = "111122223333"
	explainRole    = "arn:aws:iam::" + explainAccount + ":role/app"
	explainSub     = "system:serviceaccount:default:my-sa"
	explainAud     = "sts.amazonaws.com"
)

// explainWorld is a started fixture issuer and the files explain reads.
type explainWorld struct {
	srv *issuer.Server
	dir string
	// jwks, provider, trust: the issuer's JWKS, its IAM provider JSON and
	// the least-privilege trust policy for explainSub.
	jwks, provider, trust string
}

// newExplainWorld starts a fixture issuer and writes its JWKS (fetched as a
// client would), its provider as IAM prints it and a trust policy.
func newExplainWorld(t *testing.T) *explainWorld {
	t.Helper()
	srv, err := issuer.New(issuer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	w := &explainWorld{srv: srv, dir: t.TempDir()}
	host := trust.ProviderHost(srv.IssuerURL())
	w.jwks = w.write(t, "jwks.json", explainFetchJWKS(t, srv))
	w.provider = w.write(t, "provider.json", explainJSON(t, map[string]any{
		"Url": host, "ClientIDList": []string{explainAud}, "ThumbprintList": []string{},
	}))
	w.trust = w.write(t, "trust.json", trust.LeastPrivilege(trust.ProviderARN(explainAccount, host), host, explainAud, explainSub))
	return w
}

// explainFetchJWKS reads the issuer's discovery document and then its jwks_uri.
func explainFetchJWKS(t *testing.T, srv *issuer.Server) []byte {
	t.Helper()
	get := func(url string) []byte {
		resp, err := srv.Client().Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
		}
		return b
	}
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(get(srv.IssuerURL()+"/.well-known/openid-configuration"), &doc); err != nil {
		t.Fatal(err)
	}
	return get(doc.JWKSURI)
}

// write writes a file in the world's directory and returns its path.
func (w *explainWorld) write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(w.dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// mint is a token as the issuer mints it.
func (w *explainWorld) mint(t *testing.T, o issuer.TokenOptions) string {
	t.Helper()
	raw, err := w.srv.MintToken(o)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// signed is a token with exactly these claims, signed by the issuer.
func (w *explainWorld) signed(t *testing.T, change func(map[string]any)) string {
	t.Helper()
	now := time.Now().Unix()
	claims := map[string]any{
		"iss": w.srv.IssuerURL(), "sub": explainSub, "aud": []string{explainAud},
		"iat": now, "nbf": now, "exp": now + 3600,
	}
	change(claims)
	raw, err := w.srv.SignToken(claims)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// explainJSON marshals v or fails the test.
func explainJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// explainB64 is unpadded base64url.
func explainB64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// explainHS256 is a token signed HS256 with a shared secret, as some issuers do.
func explainHS256(header, claims []byte) string {
	in := explainB64(header) + "." + explainB64(claims)
	mac := hmac.New(sha256.New, []byte("a shared secret of 32 bytes.....!"))
	mac.Write([]byte(in))
	return in + "." + explainB64(mac.Sum(nil))
}

// runExplainCLI runs `explain` in this process and returns what it did.
func runExplainCLI(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Execute(context.Background(), IO{In: strings.NewReader(""), Out: &out, Err: &errb}, append([]string{"explain"}, args...))
	return result{code, out.String(), errb.String()}
}

// TestExplainSTSErrors: every row of CHECKS.md's error table that can arise
// offline, and success, from files alone.
func TestExplainSTSErrors(t *testing.T) {
	w := newExplainWorld(t)
	good := w.mint(t, issuer.TokenOptions{})
	parts := strings.Split(good, ".")
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	claims, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	tampered := parts[0] + "." + explainB64(bytes.Replace(claims, []byte(explainSub), []byte("system:serviceaccount:default:admin"), 1)) + "." + parts[2]
	var otherKids map[string]any
	if err := json.Unmarshal(explainFetchJWKS(t, w.srv), &otherKids); err != nil {
		t.Fatal(err)
	}
	for _, k := range otherKids["keys"].([]any) {
		k.(map[string]any)["kid"] = "rotated-away"
	}
	unknownKidJWKS := w.write(t, "other-kids.json", explainJSON(t, otherKids))
	otherProvider := w.write(t, "other-provider.json", []byte(`{"Url":"oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF","ClientIDList":["sts.amazonaws.com"]}`))
	host := trust.ProviderHost(w.srv.IssuerURL())
	strict := w.write(t, "strict.json", trust.LeastPrivilege(trust.ProviderARN(explainAccount, host), host, explainAud, "system:serviceaccount:payments:api"))
	later := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	// hour expires in an hour: 2 minutes after that is inside IAM's
	// 5-minute window, 6 minutes after is not.
	hour := w.mint(t, issuer.TokenOptions{TTL: time.Hour})
	window := time.Now().Add(time.Hour + 2*time.Minute).UTC().Format(time.RFC3339)
	pastWindow := time.Now().Add(time.Hour + 6*time.Minute + 5*time.Second).UTC().Format(time.RFC3339)

	armed := w.write(t, "provider-arn.json", explainJSON(t, map[string]any{
		"Arn": "arn:aws:iam::444455556666:oidc-provider/" + trust.ProviderHost(w.srv.IssuerURL()),
		"Url": trust.ProviderHost(w.srv.IssuerURL()), "ClientIDList": []string{explainAud},
	}))
	saved := w.write(t, "saved-jwks.json", explainJSON(t, map[string]any{
		"source": w.srv.IssuerURL() + "/keys", "saved_at": time.Now().UTC(), "jwks": json.RawMessage(explainFetchJWKS(t, w.srv)),
	}))
	full := []string{"--trust-policy", w.trust, "--iam-provider", w.provider, "--jwks", w.jwks, "--role-arn", explainRole}
	// The same trust policy in the China and GovCloud partitions: the
	// provider's and the assumed role's ARNs are built in the role's.
	cnTrust := w.write(t, "trust-cn.json", trust.LeastPrivilege(trust.ProviderARNIn("aws-cn", explainAccount, host), host, explainAud, explainSub))
	govTrust := w.write(t, "trust-gov.json", trust.LeastPrivilege(trust.ProviderARNIn("aws-us-gov", explainAccount, host), host, explainAud, explainSub))
	tests := []struct {
		name  string
		token string
		args  []string // replaces full when set
		extra []string // appended to the arguments
		code  int
		want  []string // lines or fragments stdout must hold
	}{
		{name: "success", token: good, code: ExitPass, want: []string{
			"STS would answer: success (HTTP 200)",
			"AssumedRoleUser.Arn: arn:aws:sts::" + explainAccount + ":assumed-role/app/oidc-conformance",
			"SubjectFromWebIdentityToken: " + explainSub,
			"Audience: " + explainAud,
			"Provider: arn:aws:iam::" + explainAccount + ":oidc-provider/" + host,
		}},
		{name: "success with a run --save-jwks file", token: good, args: []string{"--trust-policy", w.trust, "--jwks", saved, "--role-arn", explainRole},
			code: ExitPass, want: []string{"STS would answer: success (HTTP 200)", "keys: 1 from " + saved}},
		{name: "no provider for iss", token: good, args: []string{"--trust-policy", w.trust, "--iam-provider", otherProvider, "--jwks", w.jwks},
			code: ExitFail, want: []string{
				"STS would refuse: InvalidIdentityToken (HTTP 400)",
				"message: No OpenIDConnect provider found in your account for " + w.srv.IssuerURL(),
				"is not the provider's issuer", "IAM-001"}},
		{name: "provider in another account", token: good, args: []string{"--trust-policy", w.trust, "--iam-provider", armed, "--jwks", w.jwks, "--role-arn", explainRole},
			code: ExitFail, want: []string{
				"message: No OpenIDConnect provider found in your account for " + w.srv.IssuerURL(),
				"registered in account 444455556666", "the role is in account " + explainAccount}},
		{name: "account from the provider ARN", token: good, args: []string{"--trust-policy", w.trust, "--iam-provider", armed, "--jwks", w.jwks},
			code: ExitFail, want: []string{"account: 444455556666; from the provider ARN", "AccessDenied", "no Allow statement names the federated principal arn:aws:iam::444455556666:oidc-provider/"}},
		{name: "unknown kid", token: good, args: []string{"--trust-policy", w.trust, "--iam-provider", w.provider, "--jwks", unknownKidJWKS},
			code: ExitFail, want: []string{
				"STS would refuse: InvalidIdentityToken (HTTP 400)",
				"message: Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
				"no key with the token's kid", `kids "rotated-away"`, "TOK-003"}},
		{name: "incorrect audience", token: w.mint(t, issuer.TokenOptions{Audience: "my-app"}), code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)",
			"message: Incorrect token audience",
			`no aud value of the token (["my-app"]) is a client ID of the provider (["sts.amazonaws.com"])`, "TOK-006, IAM-002"}},
		{name: "missing aud", token: w.signed(t, func(c map[string]any) { delete(c, "aud") }), code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)", "message: Missing a required claim: aud", "TOK-006"}},
		{name: "missing sub", token: w.signed(t, func(c map[string]any) { delete(c, "sub") }), code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)", "message: Missing a required claim: sub", "TOK-007"}},
		{name: "bad signature", token: tampered, code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)", "message: The token signature is invalid",
			"signature does not verify", "TOK-004"}},
		{name: "malformed token", token: parts[0] + "." + parts[1], code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)", "message: The token is not a compact JWT", "TOK-001"}},
		{name: "HS256", token: explainHS256(bytes.Replace(header, []byte(`"RS256"`), []byte(`"HS256"`), 1), claims), code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)", `message: Unsupported token signing algorithm "HS256"`, "TOK-012"}},
		{name: "alg none", token: explainB64([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)", `message: Unsupported token signing algorithm "none"`, "TOK-012"}},
		{name: "PS256: STS's list", token: explainB64([]byte(`{"alg":"PS256"}`)) + "." + parts[1] + "." + parts[2], code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)", `message: Unsupported token signing algorithm "PS256": STS accepts`, "TOK-002"}},
		{name: "expired", token: good, extra: []string{"--now", later}, code: ExitFail, want: []string{
			"STS would refuse: ExpiredTokenException (HTTP 400)",
			"message: Token expired: current date/time " + explainUnix(t, later) + " must be before the expiration date/time ",
			"is not after now, " + later + " (--now)", "TOK-009"}},
		{name: "pod identity token", token: w.mint(t, issuer.TokenOptions{Audience: "pods.eks.amazonaws.com"}), code: ExitFail, want: []string{
			"STS would refuse: InvalidIdentityToken (HTTP 400)", "message: Incorrect token audience", "this is an EKS Pod Identity token", "IAM-011"}},
		{name: "inside the expiry window", token: hour, extra: []string{"--now", window}, code: ExitPass, want: []string{
			"STS would answer: success", "expiry: the token expired 2m", "STS still accepts it for"}},
		{name: "past the expiry window", token: hour, extra: []string{"--now", pastWindow}, code: ExitFail, want: []string{
			"STS would refuse: ExpiredTokenException (HTTP 400)", "expired 6m", "beyond IAM's 5m0s window", "TOK-009"}},
		{name: "trust policy denies", token: good, args: []string{"--trust-policy", strict, "--iam-provider", w.provider, "--jwks", w.jwks, "--role-arn", explainRole},
			code: ExitFail, want: []string{
				"STS would refuse: AccessDenied (HTTP 403)",
				"message: Not authorized to perform sts:AssumeRoleWithWebIdentity",
				host + ":sub", `"system:serviceaccount:payments:api"`, explainSub,
				"A least-privilege trust policy that allows this token",
				`"` + host + `:sub": "` + explainSub + `"`}},
		{name: "too short for STS", token: "a.b", code: ExitFail, want: []string{
			"STS would refuse: ValidationError (HTTP 400)", "Member must have length greater than or equal to 4"}},
		{name: "no jwks: signature not checked", token: tampered, args: []string{"--trust-policy", w.trust, "--iam-provider", w.provider, "--role-arn", explainRole},
			code: ExitFail, want: []string{"keys: signature not checked (no --jwks)", "AccessDenied"}},
		{name: "aws-cn role", token: good, args: []string{"--trust-policy", cnTrust, "--iam-provider", w.provider, "--jwks", w.jwks,
			"--role-arn", "arn:aws-cn:iam::" + explainAccount + ":role/app"}, code: ExitPass, want: []string{
			"STS would answer: success (HTTP 200)",
			"AssumedRoleUser.Arn: arn:aws-cn:sts::" + explainAccount + ":assumed-role/app/oidc-conformance",
			"Provider: arn:aws-cn:iam::" + explainAccount + ":oidc-provider/" + host}},
		{name: "aws role, aws-cn principal", token: good, args: []string{"--trust-policy", cnTrust, "--iam-provider", w.provider, "--jwks", w.jwks,
			"--role-arn", explainRole}, code: ExitFail, want: []string{"STS would refuse: AccessDenied (HTTP 403)",
			"arn:aws:iam::" + explainAccount + ":oidc-provider/" + host}},
		{name: "aws-us-gov principal, no role", token: good, args: []string{"--trust-policy", govTrust}, code: ExitPass, want: []string{
			"role: arn:aws-us-gov:iam::" + explainAccount + ":role/my-role",
			"AssumedRoleUser.Arn: arn:aws-us-gov:sts::" + explainAccount + ":assumed-role/my-role/oidc-conformance",
			"Provider: arn:aws-us-gov:iam::" + explainAccount + ":oidc-provider/" + host}},
		{name: "no jwks, no provider, no role", token: good, args: []string{"--trust-policy", w.trust}, code: ExitPass, want: []string{
			"keys: signature not checked (no --jwks)", "synthesized from the token",
			"account: " + explainAccount + "; from the trust policy's Federated principal",
			"AssumedRoleUser.Arn: arn:aws:sts::" + explainAccount + ":assumed-role/my-role/oidc-conformance",
			"note: signature not checked (no --jwks)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := filepath.Join(t.TempDir(), "token")
			if err := os.WriteFile(tok, []byte(tt.token+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			args := tt.args
			if args == nil {
				args = full
			}
			r := runExplainCLI(t, append(append([]string{"--token", tok}, args...), tt.extra...)...)
			if r.code != tt.code || r.stderr != "" {
				t.Errorf("exit %d, stderr %q; want %d and nothing\n%s", r.code, r.stderr, tt.code, r.stdout)
			}
			for _, want := range tt.want {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q\n%s", want, r.stdout)
				}
			}
			assertNoTokenIn(t, r.stdout+r.stderr, tt.token)
		})
	}
}

// explainUnix is an RFC 3339 time as Unix seconds, in decimal.
func explainUnix(t *testing.T, s string) string {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(tm.Unix(), 10)
}

// assertNoTokenIn fails when out holds the token or its signature part.
func assertNoTokenIn(t *testing.T, out, raw string) {
	t.Helper()
	if strings.Contains(out, raw) {
		t.Error("the output contains the token")
	}
	if parts := strings.Split(raw, "."); len(parts) == 3 && len(parts[2]) > 8 && strings.Contains(out, parts[2]) {
		t.Error("the output contains the token's signature")
	}
}

// TestExplainStdin: --token - reads standard input.
func TestExplainStdin(t *testing.T) {
	w := newExplainWorld(t)
	tok := w.mint(t, issuer.TokenOptions{})
	var out, errb bytes.Buffer
	code := Execute(context.Background(), IO{In: strings.NewReader(tok), Out: &out, Err: &errb},
		[]string{"explain", "--token", "-", "--trust-policy", w.trust, "--jwks", w.jwks, "--role-arn", explainRole})
	if code != ExitPass || !strings.Contains(out.String(), "Token (standard input,") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// TestExplainBadInput: an unreadable or malformed file, or a bad flag, is
// exit 2 with one line naming it, and nothing on stdout.
func TestExplainBadInput(t *testing.T) {
	w := newExplainWorld(t)
	tok := w.write(t, "token", []byte(w.mint(t, issuer.TokenOptions{})))
	empty := w.write(t, "empty", []byte("\n"))
	notJSON := w.write(t, "not.json", []byte("{nope"))
	missing := filepath.Join(w.dir, "missing")
	base := func(extra ...string) []string {
		return append([]string{"--token", tok, "--trust-policy", w.trust}, extra...)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no token flag", []string{"--trust-policy", w.trust}, `"token"`},
		{"no trust-policy flag", []string{"--token", tok}, `"trust-policy"`},
		{"token missing", []string{"--token", missing, "--trust-policy", w.trust}, "--token"},
		{"token empty", []string{"--token", empty, "--trust-policy", w.trust}, "empty"},
		{"trust policy missing", []string{"--token", tok, "--trust-policy", missing}, "--trust-policy"},
		{"trust policy malformed", []string{"--token", tok, "--trust-policy", notJSON}, "--trust-policy"},
		{"provider malformed", base("--iam-provider", notJSON), "--iam-provider"},
		{"provider invalid", base("--iam-provider", w.write(t, "p.json", []byte(`{"Url":"http://x","ClientIDList":[]}`))), "--iam-provider"},
		{"jwks malformed", base("--jwks", notJSON), "--jwks"},
		{"role arn", base("--role-arn", "arn:aws:iam::12:role/x"), "--role-arn"},
		{"now", base("--now", "yesterday"), "--now"},
		{"session name", base("--session-name", "a b"), "--session-name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runExplainCLI(t, tt.args...)
			if r.code != ExitUsage || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", r.code, r.stdout)
			}
			r.oneLine(t, tt.want)
		})
	}
}

// TestExplainHelp: --help says IDPCommunicationError cannot arise offline.
func TestExplainHelp(t *testing.T) {
	r := runExplainCLI(t, "--help")
	if r.code != ExitPass || !strings.Contains(r.stdout, "IDPCommunicationError") || !strings.Contains(r.stdout, "cannot arise") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

// TestNewCmdExplainFlags: the flags land in ExplainOptions.
func TestNewCmdExplainFlags(t *testing.T) {
	var got *ExplainOptions
	cmd := NewCmdExplain(IO{Out: io.Discard, Err: io.Discard}, func(_ context.Context, o *ExplainOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--token", "t", "--trust-policy", "p", "--iam-provider", "i", "--jwks", "k", "--role-arn", explainRole, "--now", "2025-01-02T03:04:05Z"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.TokenFile != "t" || got.TrustPolicy != "p" || got.IAMProvider != "i" || got.JWKS != "k" || got.RoleARN != explainRole ||
		got.Now != "2025-01-02T03:04:05Z" || got.SessionName != explainDefaultSession {
		t.Errorf("options %+v", got)
	}
}
