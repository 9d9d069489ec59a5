package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/sts"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// lockedBuffer is a bytes.Buffer safe to read while a child process writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// stsChild is a `serve sts` child process: what it printed, and its stderr.
type stsChild struct {
	lines  []string
	stderr *lockedBuffer
	cmd    *exec.Cmd
	done   chan error
}

// startSTSChild runs `serve sts args...` as its own process and reads its
// URL and role lines (want of them).
func startSTSChild(t *testing.T, want int, args ...string) *stsChild {
	t.Helper()
	c := &stsChild{stderr: &lockedBuffer{}, done: make(chan error, 1)}
	c.cmd = exec.Command(os.Args[0], append([]string{"serve", "sts"}, args...)...)
	c.cmd.Env = append(os.Environ(), "OIDC_CONFORMANCE_AS_CLI=1")
	c.cmd.Stderr = c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for len(c.lines) < want && sc.Scan() {
		c.lines = append(c.lines, sc.Text())
	}
	go func() {
		_, _ = io.Copy(io.Discard, out)
		c.done <- c.cmd.Wait()
	}()
	t.Cleanup(func() { _ = c.cmd.Process.Kill() })
	if len(c.lines) < want || !strings.HasPrefix(c.lines[0], "https://") {
		t.Fatalf("serve sts printed %q; stderr %s", c.lines, c.stderr.String())
	}
	return c
}

// interrupt sends SIGINT and returns the exit code.
func (c *stsChild) interrupt(t *testing.T) int {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-c.done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(10 * time.Second):
		t.Fatal("serve sts did not stop on SIGINT")
		return -1
	}
}

// TestServeSTS stands the mock up as its own process for an in-process
// fixture issuer (reached by --resolve, trusted by --ca-file) and calls it
// with the real AWS SDK: a role whose trust policy allows the token, one
// whose policy does not; then SIGINT stops it with exit 0.
func TestServeSTS(t *testing.T) {
	iss, err := issuer.New(issuer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := iss.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(iss.Close)
	dir := t.TempDir()
	issuerCA := filepath.Join(dir, "issuer-ca.pem")
	if err := os.WriteFile(issuerCA, iss.CA().RootPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	host := trust.ProviderHost(iss.IssuerURL())
	arn := trust.ProviderARN(sts.DefaultAccount, host)
	config := map[string]any{
		"providers": []map[string]any{{"url": host, "client_ids": []string{explainAud}}},
		"roles": []map[string]any{
			{"name": "app", "trust_policy": json.RawMessage(trust.LeastPrivilege(arn, host, explainAud, explainSub))},
			{"name": "payments", "trust_policy": json.RawMessage(trust.LeastPrivilege(arn, host, explainAud, "system:serviceaccount:payments:api"))},
		},
	}
	configFile := filepath.Join(dir, "sts.json")
	if err := os.WriteFile(configFile, explainJSON(t, config), 0o600); err != nil {
		t.Fatal(err)
	}
	var resolve []string
	for hostport, addr := range iss.Resolve() {
		resolve = append(resolve, "--resolve", hostport+":"+addr)
	}
	caOut := filepath.Join(dir, "sts-ca.pem")
	// The issuer's CA counts as a public root: no thumbprint is registered.
	child := startSTSChild(t, 3, append([]string{"--config", configFile, "--public-ca-file", issuerCA, "--ca-out", caOut}, resolve...)...)
	endpoint := child.lines[0]
	appARN, paymentsARN := child.lines[1], child.lines[2]
	if want := "arn:aws:iam::" + sts.DefaultAccount + ":role/app"; appARN != want {
		t.Errorf("second line %q, want %q", appARN, want)
	}

	pem, err := os.ReadFile(caOut)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatal("--ca-out holds no certificate")
	}
	client := awssts.New(awssts.Options{
		Region:           "us-east-1",
		BaseEndpoint:     &endpoint,
		HTTPClient:       &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}},
		RetryMaxAttempts: 1,
	})
	token, err := iss.MintToken(issuer.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assume := func(role string) (*awssts.AssumeRoleWithWebIdentityOutput, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return client.AssumeRoleWithWebIdentity(ctx, &awssts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(role), RoleSessionName: aws.String("walk-through"), WebIdentityToken: aws.String(token),
		})
	}

	out, err := assume(appARN)
	if err != nil {
		t.Fatalf("AssumeRoleWithWebIdentity: %v\nstderr: %s", err, child.stderr.String())
	}
	if got, want := aws.ToString(out.AssumedRoleUser.Arn), "arn:aws:sts::"+sts.DefaultAccount+":assumed-role/app/walk-through"; got != want {
		t.Errorf("AssumedRoleUser.Arn %q, want %q", got, want)
	}
	if got := aws.ToString(out.SubjectFromWebIdentityToken); got != explainSub {
		t.Errorf("SubjectFromWebIdentityToken %q", got)
	}
	if aws.ToString(out.Credentials.AccessKeyId) == "" {
		t.Error("no credentials")
	}

	_, err = assume(paymentsARN)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" || apiErr.ErrorMessage() != stsrules.MsgNotAuthorized {
		t.Errorf("payments role: %v, want AccessDenied", err)
	}

	if code := child.interrupt(t); code != 0 {
		t.Errorf("exit %d after SIGINT, want 0", code)
	}
	log := child.stderr.String()
	lines := strings.Split(strings.TrimSpace(log), "\n")
	if len(lines) != 2 {
		t.Fatalf("stderr has %d lines, want one per request:\n%s", len(lines), log)
	}
	for i, want := range [][]string{
		{"AssumeRoleWithWebIdentity OK", "role=" + appARN, "subject=" + explainSub},
		{"AssumeRoleWithWebIdentity AccessDenied", "role=" + paymentsARN, "subject=" + explainSub, host + ":sub"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("log line %d %q lacks %q", i, lines[i], w)
			}
		}
	}
	assertNoTokenIn(t, log, token)
	if secret := aws.ToString(out.Credentials.SecretAccessKey); strings.Contains(log, secret) {
		t.Error("the log holds the secret access key")
	}
}

// TestServeSTSBadInput: a bad config or flag exits 2 with one line, before
// anything listens.
func TestServeSTSBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"providers":[{"url":"issuer.test/id/X","client_ids":["sts.amazonaws.com"]}]}`)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no config", nil, `"config"`},
		{"config missing", []string{"--config", filepath.Join(dir, "missing.json")}, "--config"},
		{"config unknown member", []string{"--config", write("unknown.json", `{"providerz":[]}`)}, "providerz"},
		{"bad trust policy", []string{"--config", write("policy.json", `{"roles":[{"name":"app","trust_policy":{"Statement":[]}}]}`)}, "trust policy"},
		{"bad listen", []string{"--config", good, "--listen", "nowhere"}, "--listen"},
		{"bad resolve", []string{"--config", good, "--resolve", "issuer.test:443"}, "--resolve"},
		{"ca file missing", []string{"--config", good, "--ca-file", filepath.Join(dir, "missing.pem")}, "--ca-file"},
		{"ca-out unwritable", []string{"--config", good, "--ca-out", filepath.Join(dir, "no", "dir", "ca.pem")}, "--ca-out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, append([]string{"serve", "sts"}, tt.args...)...)
			if r.code != ExitUsage || r.stdout != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", r.code, r.stdout)
			}
			r.oneLine(t, tt.want)
		})
	}
}

// TestNewCmdServeSTSFlags: the flags land in ServeSTSOptions; --listen is
// marked as given only when it is.
func TestNewCmdServeSTSFlags(t *testing.T) {
	for _, tt := range []struct {
		args      []string
		listenSet bool
	}{
		{[]string{"--config", "c.json"}, false},
		{[]string{"--config", "c.json", "--listen", "127.0.0.1:8443", "--ca-file", "a.pem", "--ca-file", "b.pem",
			"--public-ca-file", "p.pem", "--resolve", "a:443:127.0.0.1", "--ca-out", "ca.pem"}, true},
	} {
		var got *ServeSTSOptions
		cmd := NewCmdServeSTS(IO{Out: io.Discard, Err: io.Discard}, func(_ context.Context, o *ServeSTSOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if got.Config != "c.json" || got.ListenSet != tt.listenSet {
			t.Errorf("%v: options %+v", tt.args, got)
		}
		if tt.listenSet && (got.Listen != "127.0.0.1:8443" || len(got.CAFiles) != 2 || len(got.PublicCAFiles) != 1 || len(got.Resolve) != 1 || got.CAOut != "ca.pem") {
			t.Errorf("%v: options %+v", tt.args, got)
		}
	}
}
