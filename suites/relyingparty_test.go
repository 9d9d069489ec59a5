package suites_test

import (
	"context"
	"crypto/x509"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/suites/rotation"
)

// testClock is the fixture issuer's clock, moved by the test.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// relyingParty verifies tokens as a go-oidc application does: one
// RemoteKeySet, which caches the key set and fetches it again when it meets
// a kid it has not seen.
type relyingParty struct {
	verifier *oidc.IDTokenVerifier
}

func newRelyingParty(srv *issuer.Server, clock *testClock) *relyingParty {
	ctx := oidc.ClientContext(context.Background(), srv.Client())
	keys := oidc.NewRemoteKeySet(ctx, srv.IssuerURL()+"/keys")
	return &relyingParty{oidc.NewVerifier(srv.IssuerURL(), keys, &oidc.Config{
		ClientID: "sts.amazonaws.com", Now: clock.now,
	})}
}

func (rp *relyingParty) verify(raw string) error {
	_, err := rp.verifier.Verify(context.Background(), raw)
	return err
}

// TestRelyingPartyAcrossRotation follows tokens through key rotations with
// go-oidc as the reference relying party, on the issuer's clock, and judges
// the same timeline with ROT-002: with an overlap as long as tokens live,
// every token verifies until it expires; without one, a token still valid
// stops verifying as soon as its key goes, and ROT-002 says so (ROT-005,
// which judges the key at the time the token was judged, has nothing to say
// about a later withdrawal).
func TestRelyingPartyAcrossRotation(t *testing.T) {
	const h = time.Hour
	tests := []struct {
		name     string
		rotation issuer.Rotation
		ttl      time.Duration
		// wantOld says whether the first token still verifies, one rotation
		// later, for a relying party that has fetched the new key.
		wantOld bool
		want    map[string]check.Status
		msg     string
	}{
		{"overlap as long as tokens live", issuer.Rotation{Every: h, Overlap: 2 * h}, 2 * h, true,
			map[string]check.Status{"ROT-002": check.Passed, "ROT-005": check.Skipped}, "tokens live 2h (the given token's lifetime)"},
		{"rotate without overlap", issuer.Rotation{Every: h}, 24 * h, false,
			map[string]check.Status{"ROT-002": check.Failed, "ROT-005": check.Skipped},
			"tokens live 24h (the given token's lifetime), so tokens signed by the old key fail before they expire"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t0 := time.Now().Truncate(time.Second)
			clock := &testClock{t: t0}
			srv, err := issuer.New(issuer.Config{Rotation: tt.rotation, Now: clock.now})
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			c := fetch.New(fetch.Options{Resolve: srv.ResolveAll(), ExtraRoots: []*x509.Certificate{srv.CA().Root}})
			t.Cleanup(c.CloseIdle)
			jwksURL := srv.IssuerURL() + "/keys"
			var polls []evidence.Poll
			poll := func() {
				polls = append(polls, evidence.Poll{At: clock.now(), JWKS: c.Get(context.Background(), jwksURL, probe.JWKSAccept)})
			}
			mint := func() string {
				raw, err := srv.MintToken(issuer.TokenOptions{TTL: tt.ttl})
				if err != nil {
					t.Fatal(err)
				}
				return raw
			}

			rp := newRelyingParty(srv, clock)
			poll()
			old := mint()
			if err := rp.verify(old); err != nil {
				t.Fatalf("the first token does not verify: %v", err)
			}
			clock.set(t0.Add(30 * time.Minute))
			poll()
			clock.set(t0.Add(h)) // the second key takes over
			poll()
			if err := rp.verify(mint()); err != nil {
				t.Fatalf("a token of the new key does not verify: %v", err)
			}
			if err := rp.verify(old); (err == nil) != tt.wantOld {
				t.Errorf("the first token, still valid, after the rotation: %v; want verified %v", err, tt.wantOld)
			}
			if err := newRelyingParty(srv, clock).verify(old); (err == nil) != tt.wantOld {
				t.Errorf("the first token with a fresh relying party: %v; want verified %v", err, tt.wantOld)
			}
			for _, at := range []time.Duration{90 * time.Minute, 2*h + 30*time.Minute, 3 * h} {
				clock.set(t0.Add(at))
				poll()
			}

			target := &evidence.Target{
				Input: evidence.Input{Issuer: srv.IssuerURL(), Profile: string(check.AWS),
					MaxTokenLifetime: evidence.Duration(tt.ttl)},
				ProbedAt: t0,
				JWKS:     polls[0].JWKS,
				Polls:    polls,
				Token:    token.Observe(old, "minted"),
			}
			for id, want := range tt.want {
				c, _ := rotation.Checks().Lookup(id)
				f := c.Judge(target)
				if f.Status != want {
					t.Errorf("%s %s: %s, want %s", id, f.Status, f.Message, want)
				}
				if id == "ROT-002" && !strings.Contains(f.Message, tt.msg) {
					t.Errorf("ROT-002 says %q, want it to mention %q", f.Message, tt.msg)
				}
			}
		})
	}
}
