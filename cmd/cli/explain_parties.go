package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/reports"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// offlineAreas are the check areas explain judges from files: the token,
// the IAM registration, the key set file and the relying parties' own
// rules. Discovery, TLS and rotation need the network.
var offlineAreas = []string{"claims", "iam", "jwks", "eks", "kubernetes", "gcp", "azure", "vault"}

// onlineChecks are checks of those areas that need what a file cannot
// show: an HTTP answer, a TLS chain, the fetched discovery document.
var onlineChecks = []string{"JWKS-001", "JWKS-012", "IAM-003", "K8S-001", "GCP-001", "AZR-009", "AZR-010", "VLT-001", "VLT-013"}

// offlineNote says what explain --for cannot judge.
const offlineNote = "offline: discovery, TLS and key rotation are not judged (explain fetches nothing); the discovery document is taken to name the token's iss and the --jwks keys"

// explainMatrix judges the token for parties from the files, with every
// relying party's own verifier run in-process, and prints the checks found
// and the acceptance matrix. It returns whether a party rejects.
func (o *ExplainOptions) explainMatrix(ctx context.Context, in *explainInputs, parties relyingparty.Registry, inputs []evidence.RelyingParty) (bool, error) {
	iss, _ := explainClaims(in.claims(), "iss")
	aud, _ := explainClaims(in.claims(), "aud")
	t := &evidence.Target{ProbedAt: in.now, Token: in.observed}
	t.Input.Issuer = first(iss)
	t.Input.Audience = first(aud)
	t.Input.MaxTokenLifetime = evidence.Duration(24 * time.Hour)
	job := probe.Job{Input: t.Input}
	if err := forParties(&job, parties, inputs); err != nil {
		return false, err
	}
	t.Input = job.Input
	jwks, err := o.jwksBody()
	if err != nil {
		return false, err
	}
	offlineDocuments(t, jwks)
	if jwks != nil {
		t.Token.Verifications = token.Verify(ctx, in.raw, t.Input.Issuer, jwks)
	}
	if in.policy != nil {
		policy, _ := readExplainFile("--trust-policy", o.TrustPolicy, nil)
		t.IAM = &evidence.IAM{ProviderSource: in.providerNote, ProviderURL: in.provider.URL, ClientIDs: in.provider.ClientIDs,
			RoleARN: in.roleARN, TrustPolicy: json.RawMessage(policy), TrustPolicySource: o.TrustPolicy}
	}
	for _, v := range job.Verifiers {
		if in.observed.Undecoded {
			break // the harness does not decode it, nor hands it to a verifier
		}
		v(ctx, t, in.raw, jwks)
	}
	var cat check.Catalog
	for _, c := range suites.CatalogFor(parties) {
		if slices.Contains(offlineAreas, c.Area) && !slices.Contains(onlineChecks, c.ID) {
			cat = append(cat, c)
		}
	}
	findings := runner.JudgeAll(t, cat)
	tr := reports.TargetResults{Issuer: t.Input.Issuer}
	for _, c := range cat {
		f := findings[c.ID]
		if f.Status == check.Failed || f.Status == check.Warning {
			tr.Results = append(tr.Results, reports.Result{ID: c.ID, Title: c.Title, Area: c.Area, Severity: c.Severity,
				Status: f.Status, Message: f.Message, Remediation: c.Remediation, Reference: c.Reference})
		}
	}
	all := suites.RelyingParties()
	tr.Acceptance = all.Matrix(t, cat, relyingparty.Outcomes(findings), parties)
	for i := range tr.Acceptance {
		tr.Acceptance[i].Assumed = append(tr.Acceptance[i].Assumed, offlineNote)
	}
	if err := printMatrix(o.IO.Out, tr); err != nil {
		return false, faultf("explain: %w", err)
	}
	return reports.NewResults([]reports.TargetResults{tr}).Rejected(), nil
}

// printMatrix writes the checks found and the matrix.
func printMatrix(w io.Writer, tr reports.TargetResults) error {
	fmt.Fprintf(w, "\nRelying parties, judged offline (%d checks found):\n", len(tr.Results))
	return reports.WriteConsole(w, reports.NewResults([]reports.TargetResults{tr}), false)
}

// jwksBody re-reads --jwks (or the key set of a --save-jwks file); nil
// without it.
func (o *ExplainOptions) jwksBody() ([]byte, error) {
	if o.JWKS == "" {
		return nil, nil
	}
	b, err := readExplainFile("--jwks", o.JWKS, nil)
	if err != nil {
		return nil, err
	}
	var saved evidence.Baseline
	if json.Unmarshal(b, &saved) == nil && len(saved.JWKS) > 0 {
		b = saved.JWKS
	}
	return b, nil
}

// offlineJWKSURL is where the offline discovery document says the keys are.
const offlineJWKSURL = "https://explain.invalid/jwks"

// offlineDocuments records what a fetch would have: a discovery document
// naming the token's iss and the key set of --jwks (none without it, so
// the authenticator cannot verify and says so).
func offlineDocuments(t *evidence.Target, jwks []byte) {
	doc, _ := json.Marshal(map[string]any{"issuer": t.Input.Issuer, "jwks_uri": offlineJWKSURL,
		"response_types_supported": []string{"id_token"}, "subject_types_supported": []string{"public"}})
	hdr := map[string][]string{"Content-Type": {"application/json"}}
	disc := probe.DiscoveryURL(t.Input.Issuer)
	t.Discovery = &evidence.Exchange{URL: disc, Hops: []evidence.Hop{{URL: disc, Status: 200, Header: hdr, Body: doc}}}
	if jwks != nil {
		t.JWKS = &evidence.Exchange{URL: offlineJWKSURL, Hops: []evidence.Hop{{URL: offlineJWKSURL, Status: 200, Header: hdr, Body: jwks}}}
	}
}

// first is the first of values, or "".
func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return strings.TrimSpace(values[0])
}
