package suites_test

import (
	"context"
	"crypto/x509"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// BenchmarkFleet probes and judges a fleet of issuers hosted by one fixture
// server (as EKS hosts many under /id/<hex>), concurrently, with one shared
// client: the cost of a CI gate over many clusters. It reports requests per
// target so a change that fetches a document twice shows up.
func BenchmarkFleet(b *testing.B) {
	for _, n := range []int{1, 50} {
		b.Run(map[int]string{1: "issuers=1", 50: "issuers=50"}[n], func(b *testing.B) {
			ca, err := pki.NewCA()
			if err != nil {
				b.Fatal(err)
			}
			srv, err := issuer.New(issuer.Config{CA: ca, Issuers: n})
			if err != nil {
				b.Fatal(err)
			}
			if err := srv.Start(); err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			pins := map[string][]string{}
			for k, v := range srv.Resolve() {
				pins[k] = []string{v}
			}
			c := fetch.New(fetch.Options{Resolve: pins, ExtraRoots: []*x509.Certificate{ca.Root}})
			defer c.CloseIdle()
			var inputs []probe.Job
			for _, u := range srv.IssuerURLs() {
				inputs = append(inputs, probe.Job{Client: c, Input: evidence.Input{Issuer: u, Profile: "aws", Thumbprints: []string{pki.Thumbprint(ca.Intermediate)}}})
			}
			cat := suites.Catalog()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				run := probe.Run(context.Background(), inputs, probe.Options{Tool: "bench"})
				for _, tg := range run.Targets {
					for _, ch := range cat {
						runner.Judge(ch, tg)
					}
				}
			}
			b.StopTimer()
			reqs := 0
			for _, u := range srv.IssuerURLs() {
				path := u[len("https://issuer.test"):]
				reqs += srv.Requests(path+"/.well-known/openid-configuration") + srv.Requests(path+"/keys")
			}
			b.ReportMetric(float64(reqs)/float64(b.N*n), "requests/target")
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/target")
		})
	}
}
