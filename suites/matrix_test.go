package suites_test

import (
	"context"
	"crypto/x509"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// probeFixture starts a fixture issuer and probes it as the CLI would, with
// the CA's intermediate registered as the IAM thumbprint.
func probeFixture(t *testing.T, ca *pki.CA, profile string, defects ...string) (*issuer.Server, *evidence.Target) {
	t.Helper()
	return probeFixtureRoots(t, ca, false, profile, defects...)
}

// probeFixtureRoots is probeFixture that, with publicCA, counts the CA
// among the public roots whatever the scenario says.
func probeFixtureRoots(t *testing.T, ca *pki.CA, publicCA bool, profile string, defects ...string) (*issuer.Server, *evidence.Target) {
	t.Helper()
	srv, err := issuer.New(issuer.Config{Profile: profile, Defects: defects, CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	sc, err := srv.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	opts := fetch.Options{Resolve: srv.ResolveAll(), ExtraRoots: []*x509.Certificate{ca.Root}}
	if sc.PublicCA || publicCA {
		opts.PublicRoots = []*x509.Certificate{ca.Root}
	}
	c := fetch.New(opts)
	t.Cleanup(c.CloseIdle)
	job := probe.Job{
		Input: evidence.Input{
			Issuer: srv.IssuerURL(), Profile: string(check.AWS), Thumbprints: []string{pki.Thumbprint(ca.Intermediate)},
			Audience: sc.Audience, MaxTokenLifetime: evidence.Duration(sc.MaxTokenLifetime),
		},
		Token: sc.Token, TokenSource: "fixture",
	}
	if sc.Watch > 0 {
		job.Watch = &probe.WatchOptions{Duration: sc.Watch, Interval: sc.WatchInterval}
	}
	if sc.Baseline != nil {
		job.Baseline = &evidence.Baseline{Source: "fixture", SavedAt: sc.BaselineSavedAt, JWKS: sc.Baseline}
	}
	return srv, probe.Target(context.Background(), c, job)
}

// found judges every check of the catalog against tg as a run does
// (prerequisites first) and returns the IDs whose finding is failed or
// warning, sorted, with every finding.
func found(tg *evidence.Target) (ids []string, findings map[string]check.Finding) {
	findings = runner.JudgeAll(tg, suites.Catalog())
	for id, f := range findings {
		if f.Status == check.Failed || f.Status == check.Warning {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, findings
}

// rootCause checks the findings of a defect in root-cause form: no check
// concludes above what its severity permits, and every check skipped
// because a prerequisite failed names one of the defect's roots, which
// failed in this run.
func rootCause(t *testing.T, name string, roots []string, findings map[string]check.Finding) {
	t.Helper()
	cat := suites.Catalog()
	for _, c := range cat {
		f := findings[c.ID]
		if !c.Permits(f.Status) || strings.HasPrefix(f.Message, "harness fault") {
			t.Errorf("%s: %s concluded %s (%s), which its severity %s does not permit", name, c.ID, f.Status, f.Message, c.Severity)
		}
		if f.BlockedBy == "" {
			continue
		}
		if !slices.Contains(roots, f.BlockedBy) || findings[f.BlockedBy].Status != check.Failed {
			t.Errorf("%s: %s is blocked by %s, which is not one of the roots %v that failed", name, c.ID, f.BlockedBy, roots)
		}
	}
}

// TestDefectMatrix proves every check that can fail (or warn) does, at the
// root: each named defect of the fixture issuer makes exactly its check IDs
// fail (or warn), every check it keeps from being judged is skipped naming
// one of them, and the good issuer of every profile makes none. An INFO
// check states a fact and never fails, so it has no defect.
func TestDefectMatrix(t *testing.T) {
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, d := range issuer.Defects() {
		for _, id := range d.Fails {
			covered[id] = true
		}
		t.Run(d.Name, func(t *testing.T) {
			t.Parallel()
			profile := "eks"
			if d.Profile != "" {
				profile = d.Profile
			}
			_, tg := probeFixture(t, ca, profile, d.Name)
			got, findings := found(tg)
			want := issuerSide(d.Fails)
			if !slices.Equal(got, want) {
				for _, id := range got {
					t.Logf("%s %s: %s", id, findings[id].Status, findings[id].Message)
				}
				t.Errorf("defect %s: found %v, want exactly %v", d.Name, got, want)
			}
			rootCause(t, d.Name, want, findings)
		})
	}
	for _, profile := range []string{"eks", "kubernetes", "s3", "github"} {
		t.Run("good "+profile, func(t *testing.T) {
			t.Parallel()
			_, tg := probeFixture(t, ca, profile)
			got, findings := found(tg)
			if len(got) > 0 {
				for _, id := range got {
					t.Logf("%s %s: %s", id, findings[id].Status, findings[id].Message)
				}
				t.Errorf("good %s issuer: found %v, want none", profile, got)
			}
			rootCause(t, "good "+profile, nil, findings)
		})
	}
	t.Run("every check that can fail has a defect", func(t *testing.T) {
		for _, c := range suites.Catalog() {
			switch {
			case c.Severity == check.Info && covered[c.ID]:
				t.Errorf("%s is INFO, so it never fails, yet a defect lists it", c.ID)
			case c.Severity != check.Info && !covered[c.ID]:
				t.Errorf("%s has no fixture defect that makes it fail", c.ID)
			}
		}
	})
}

// TestThumbprintRule is the companion of the tls13-only-stale-thumbprint
// defect: the same stale thumbprint with a publicly trusted chain served
// over TLS 1.2 fails nothing, because AWS then ignores thumbprints.
func TestThumbprintRule(t *testing.T) {
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	_, tg := probeFixtureRoots(t, ca, true, "eks", "new-intermediate")
	got, findings := found(tg)
	if !slices.Equal(got, []string{"TLS-005"}) || findings["TLS-005"].Status != check.Warning ||
		!strings.Contains(findings["TLS-005"].Message, "AWS ignores the thumbprint") {
		t.Errorf("stale thumbprint, public chain, TLS 1.2: found %v (TLS-005 %s %q), want only a TLS-005 warning",
			got, findings["TLS-005"].Status, findings["TLS-005"].Message)
	}
	if tg.JWKSTLS12 == nil || !tg.JWKSTLS12.Accepted {
		t.Errorf("the TLS 1.2 handshake is not recorded as accepted: %+v", tg.JWKSTLS12)
	}
}

// issuerSide drops the IAM and STS IDs from a defect's Fails: this in-process
// matrix probes without an IAM registration or an STS exchange. The CLI's
// TestDemoDefectMatrix runs the whole chain and expects every ID.
func issuerSide(fails []string) []string {
	var out []string
	for _, id := range fails {
		if !strings.HasPrefix(id, "IAM-") && !strings.HasPrefix(id, "STS-") {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// TestDocumentsFetchedOnce counts the fixture's requests: one probe fetches
// discovery and the JWKS once each, and every check shares them.
func TestDocumentsFetchedOnce(t *testing.T) {
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	srv, tg := probeFixture(t, ca, "eks")
	found(tg)
	disc := tg.Discovery.URL
	jwks := tg.JWKS.URL
	// The JWKS is fetched once for the checks, then RepeatFetches more times
	// beside the first for ROT-004; the fixture has one address, so no replicas.
	for u, want := range map[string]int{disc: 1, jwks: 1 + probe.RepeatFetches} {
		path := u[len("https://issuer.test"):]
		if n := srv.Requests(path); n != want {
			t.Errorf("%s fetched %d times, want %d", path, n, want)
		}
	}
}

func TestCatalog(t *testing.T) {
	cat := suites.Catalog()
	if err := cat.Validate(); err != nil {
		t.Fatal(err)
	}
}
