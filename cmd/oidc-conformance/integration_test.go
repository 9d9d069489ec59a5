package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	tcnetwork "github.com/testcontainers/testcontainers-go/network"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
)

func TestMain(m *testing.M) {
	// The reaper image cannot be pulled here; the tests clean up themselves.
	// This must be set before the first testcontainers call reads its config.
	os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	tclog.SetDefault(tclog.NewNoopLogger())
	os.Exit(m.Run())
}

// env is one integration scenario's Docker network and image.
type env struct {
	t     *testing.T
	image string
	net   string
	ca    *pki.CA
}

// start runs a container from the image on the scenario's network.
func (e *env) start(ctx context.Context, alias string, files []testcontainers.ContainerFile, waitFor wait.Strategy, args ...string) testcontainers.Container {
	e.t.Helper()
	req := testcontainers.ContainerRequest{
		Image:      e.image,
		Cmd:        args,
		Networks:   []string{e.net},
		Files:      files,
		WaitingFor: waitFor,
	}
	if alias != "" {
		req.NetworkAliases = map[string][]string{e.net: {alias}}
	}
	c, err := testcontainers.GenericContainer(ctx, testcontainers.GenericContainerRequest{ContainerRequest: req, Started: true})
	e.t.Cleanup(func() {
		if err := testcontainers.TerminateContainer(c); err != nil {
			e.t.Logf("terminate %s: %v", alias, err)
		}
	})
	if err != nil {
		e.t.Fatalf("start %s: %v", alias, err)
	}
	return c
}

func file(name string, body []byte) testcontainers.ContainerFile {
	return testcontainers.ContainerFile{Reader: bytes.NewReader(body), ContainerFilePath: name, FileMode: 0o644}
}

// junit is the part of a JUnit report the assertions read.
type junit struct {
	Suites []struct {
		Cases []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// harness runs the harness container to completion and returns its exit code
// and the JUnit report it wrote.
func (e *env) harness(ctx context.Context, files []testcontainers.ContainerFile, args ...string) (int, junit, string) {
	e.t.Helper()
	c := e.start(ctx, "", files, wait.ForExit().WithExitTimeout(60*time.Second), append([]string{"run", "--junit", "/out/junit.xml"}, args...)...)
	st, err := c.State(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	logs := containerLogs(ctx, c)
	rc, err := c.CopyFileFromContainer(ctx, "/out/junit.xml")
	if err != nil {
		e.t.Fatalf("copy junit.xml out (exit %d): %v\n%s", st.ExitCode, err, logs)
	}
	defer rc.Close()
	var j junit
	if err := xml.NewDecoder(rc).Decode(&j); err != nil {
		e.t.Fatalf("parse junit.xml: %v", err)
	}
	return st.ExitCode, j, logs
}

func containerLogs(ctx context.Context, c testcontainers.Container) string {
	r, err := c.Logs(ctx)
	if err != nil {
		return err.Error()
	}
	defer r.Close()
	b, _ := io.ReadAll(r)
	return string(b)
}

// issuerURL reads the first line a `serve issuer` container printed.
func issuerURL(ctx context.Context, t *testing.T, c testcontainers.Container) string {
	t.Helper()
	for _, line := range strings.Split(containerLogs(ctx, c), "\n") {
		if i := strings.Index(line, "https://"); i >= 0 {
			return strings.TrimSpace(line[i:])
		}
	}
	t.Fatal("serve issuer printed no URL")
	return ""
}

// skipped is the skip message of check id's testcase ("" when it was not skipped).
func (j junit) skipped(id string) string {
	for _, s := range j.Suites {
		for _, c := range s.Cases {
			if c.Skipped != nil && strings.Fields(c.Name)[0] == id {
				return c.Skipped.Message
			}
		}
	}
	return ""
}

// failed lists the check testcases of a JUnit report that failed (not the
// acceptance matrix's, one per relying party).
func (j junit) failed() []string {
	var out []string
	for _, s := range j.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil && !strings.HasPrefix(c.Name, "acceptance ") {
				out = append(out, strings.Fields(c.Name)[0])
			}
		}
	}
	return out
}

// TestContainers runs the fixture issuer and the harness in their own
// containers on a Docker network, under real host names with TLS for them.
func TestContainers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if ok, err := dockerAvailable(ctx); !ok {
		t.Skipf("container engine not available, integration tests skipped (set DOCKER_HOST or start Docker): %v", err)
	}
	start := time.Now()
	image := buildImage(t, ctx)
	nw, err := tcnetwork.New(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := nw.Remove(context.Background()); err != nil {
			t.Logf("remove network: %v", err)
		}
	})
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := ca.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, image: image, net: nw.Name, ca: ca}
	t.Logf("image built in %s", time.Since(start).Round(time.Millisecond))
	serve := func(alias string, extra ...string) testcontainers.Container {
		args := append([]string{"serve", "issuer", "--profile", "eks", "--hostname", alias, "--listen", ":443", "--ca-bundle", "/tmp/ca-bundle.pem"}, extra...)
		return e.start(ctx, alias, []testcontainers.ContainerFile{file("/tmp/ca-bundle.pem", bundle)}, wait.ForLog("https://"+alias).WithStartupTimeout(30*time.Second), args...)
	}
	harnessFiles := func() []testcontainers.ContainerFile {
		return []testcontainers.ContainerFile{file("/tmp/ca.pem", ca.RootPEM())}
	}
	thumbprint := pki.Thumbprint(ca.Intermediate)

	t.Run("good issuer passes every check", func(t *testing.T) {
		e.t = t
		iss := serve("issuer.test")
		code, j, logs := e.harness(ctx, harnessFiles(), "--issuer", issuerURL(ctx, t, iss), "--ca-file", "/tmp/ca.pem", "--thumbprint", thumbprint)
		if code != 0 || len(j.failed()) > 0 || len(j.Suites) != 1 || len(j.Suites[0].Cases) == 0 {
			t.Errorf("exit %d, failed %v\n%s", code, j.failed(), logs)
		}
	})
	t.Run("certificate for another name fails TLS-001 only", func(t *testing.T) {
		e.t = t
		iss := serve("other.test", "--defect", "wrong-name-cert")
		url := issuerURL(ctx, t, iss)
		code, j, logs := e.harness(ctx, harnessFiles(), "--issuer", url, "--ca-file", "/tmp/ca.pem", "--thumbprint", thumbprint)
		if got := j.failed(); code != 1 || len(got) != 1 || got[0] != "TLS-001" {
			t.Errorf("exit %d, failed %v, want exit 1 and [TLS-001]\n%s", code, got, logs)
		}
	})
	t.Run("issuer, STS and harness in three containers: the whole chain passes", func(t *testing.T) {
		e.t = t
		code, j, logs := e.chain(ctx, "chain.test", thumbprint, "system:serviceaccount:default:my-sa")
		passed := map[string]bool{}
		for _, s := range j.Suites {
			for _, c := range s.Cases {
				if c.Failure == nil && c.Skipped == nil {
					passed[strings.Fields(c.Name)[0]] = true
				}
			}
		}
		if code != 0 || len(j.failed()) > 0 || !passed["STS-003"] || !passed["IAM-007"] || !passed["TOK-004"] {
			t.Errorf("exit %d, failed %v, STS-003 passed %v\n%s", code, j.failed(), passed["STS-003"], logs)
		}
	})
	t.Run("trust policy for another namespace fails IAM-007, which STS's refusal confirms", func(t *testing.T) {
		e.t = t
		code, j, logs := e.chain(ctx, "denied.test", thumbprint, "system:serviceaccount:other:my-sa")
		got := j.failed()
		if code != 1 || !slices.Equal(got, []string{"IAM-007"}) || !strings.Contains(logs, "STS-001") {
			t.Errorf("exit %d, failed %v, want exit 1 and [IAM-007] alone (STS-001 blocked by it)\n%s", code, got, logs)
		}
		if s := j.skipped("STS-001"); !strings.Contains(s, "not judged: IAM-007 failed") || !strings.Contains(s, "AccessDenied") {
			t.Errorf("STS-001 skipped %q, want it blocked by IAM-007 with STS's AccessDenied kept", s)
		}
	})
	t.Logf("integration scenarios took %s", time.Since(start).Round(time.Millisecond))
}

// chain runs an issuer container (alias issuerAlias) that writes a token, an
// STS container (alias sts.test) registering that issuer with a role whose
// trust policy admits sub, and the harness against both; it returns the
// harness's exit code, JUnit report and logs.
func (e *env) chain(ctx context.Context, issuerAlias, thumbprint, sub string) (int, junit, string) {
	e.t.Helper()
	bundle, err := e.ca.MarshalPEM()
	if err != nil {
		e.t.Fatal(err)
	}
	iss := e.start(ctx, issuerAlias, []testcontainers.ContainerFile{file("/tmp/ca-bundle.pem", bundle)},
		wait.ForLog("https://"+issuerAlias).WithStartupTimeout(30*time.Second),
		"serve", "issuer", "--profile", "eks", "--hostname", issuerAlias, "--listen", ":443",
		"--ca-bundle", "/tmp/ca-bundle.pem", "--token-out", "/out/token")
	url := issuerURL(ctx, e.t, iss)
	tok := copyOut(ctx, e.t, iss, "/out/token")
	host := strings.TrimPrefix(url, "https://")
	const account = "111122223333"
	providerARN := "arn:aws:iam::" + account + ":oidc-provider/" + host
	policy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":%q},`+
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{%q:"sts.amazonaws.com",%q:%q}}}]}`,
		providerARN, host+":aud", host+":sub", sub)
	provider := fmt.Sprintf(`{"Url":%q,"ClientIDList":["sts.amazonaws.com"],"ThumbprintList":[%q]}`, host, thumbprint)
	config := fmt.Sprintf(`{"account":%q,"providers":[{"url":%q,"client_ids":["sts.amazonaws.com"],"thumbprints":[%q]}],`+
		`"roles":[{"name":"app","trust_policy":%s}]}`, account, host, thumbprint, policy)
	stsC := e.start(ctx, "sts.test", []testcontainers.ContainerFile{file("/tmp/sts.json", []byte(config))},
		wait.ForLog("https://").WithStartupTimeout(30*time.Second),
		"serve", "sts", "--config", "/tmp/sts.json", "--listen", ":443", "--ca-out", "/out/sts-ca.pem")
	stsCA := copyOut(ctx, e.t, stsC, "/out/sts-ca.pem")
	files := []testcontainers.ContainerFile{
		file("/tmp/ca.pem", append(e.ca.RootPEM(), stsCA...)),
		file("/tmp/token", tok),
		file("/tmp/policy.json", []byte(policy)),
		file("/tmp/provider.json", []byte(provider)),
	}
	return e.harness(ctx, files, "--issuer", url, "--ca-file", "/tmp/ca.pem", "--thumbprint", thumbprint,
		"--token-file", "/tmp/token", "--role-arn", "arn:aws:iam::"+account+":role/app", "--sts", "https://sts.test",
		"--trust-policy", "/tmp/policy.json", "--iam-provider", "/tmp/provider.json")
}

// copyOut reads a file from a container.
func copyOut(ctx context.Context, t *testing.T, c testcontainers.Container, path string) []byte {
	t.Helper()
	rc, err := c.CopyFileFromContainer(ctx, path)
	if err != nil {
		t.Fatalf("copy %s out: %v", path, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
