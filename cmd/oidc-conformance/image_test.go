package main

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// dockerAvailable asks the engine without panicking (testcontainers can panic
// on some missing-engine paths).
func dockerAvailable(ctx context.Context) (ok bool, err error) {
	// testcontainers falls back to the default socket when DOCKER_HOST does
	// not answer; a user who points DOCKER_HOST somewhere means that engine.
	if host := os.Getenv("DOCKER_HOST"); host != "" {
		if err := dialDockerHost(ctx, host); err != nil {
			return false, err
		}
	}
	defer func() {
		if r := recover(); r != nil {
			ok, err = false, fmt.Errorf("panic: %v", r)
		}
	}()
	p, err := testcontainers.ProviderDefault.GetProvider()
	if err != nil {
		return false, err
	}
	defer p.Close()
	if err := p.Health(ctx); err != nil {
		return false, err
	}
	return true, nil
}

// buildImage builds the static binary and the image of ../../Dockerfile from
// an in-memory context, once, and returns its tag. The image is removed when
// the test ends.
func buildImage(t *testing.T, ctx context.Context) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "oidc-conformance")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build static binary: %v\n%s", err, out)
	}
	dockerfile, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	binary, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		bundle = nil // no public roots: the tests use their own CA
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name string
		mode int64
		body []byte
	}{
		{"Dockerfile", 0o644, dockerfile},
		{"oidc-conformance", 0o755, binary},
		{"ca-certificates.crt", 0o644, bundle},
		{"out/.keep", 0o644, nil},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(f.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	tag := make([]byte, 4)
	rand.Read(tag)
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	req := &testcontainers.ContainerRequest{FromDockerfile: testcontainers.FromDockerfile{
		ContextArchive: bytes.NewReader(buf.Bytes()),
		Repo:           "oidc-conformance-it", Tag: hex.EncodeToString(tag),
		KeepImage: true, BuildLogWriter: io.Discard,
	}}
	image, err := p.BuildImage(ctx, req)
	if err != nil {
		t.Fatalf("build image: %v", err)
	}
	t.Cleanup(func() {
		if _, err := p.Client().ImageRemove(context.Background(), image, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil {
			t.Logf("remove image %s: %v", image, err)
		}
	})
	return image
}

// dialDockerHost checks that the engine named by DOCKER_HOST accepts connections.
func dialDockerHost(ctx context.Context, host string) error {
	u, err := url.Parse(host)
	if err != nil {
		return fmt.Errorf("DOCKER_HOST %q: %w", host, err)
	}
	network, addr := "tcp", u.Host
	if u.Scheme == "unix" {
		network, addr = "unix", u.Path
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return fmt.Errorf("DOCKER_HOST %s does not answer: %w", host, err)
	}
	return c.Close()
}
