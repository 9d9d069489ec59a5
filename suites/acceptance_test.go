package suites_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/suites"
	"github.com/oidc-conformance/oidc-conformance/suites/azure"
	"github.com/oidc-conformance/oidc-conformance/suites/eks"
	"github.com/oidc-conformance/oidc-conformance/suites/gcp"
	"github.com/oidc-conformance/oidc-conformance/suites/kubernetes"
	"github.com/oidc-conformance/oidc-conformance/suites/vault"
)

// partyInputs are the scenario's relying-party set-up as the command line
// would record it: every relying party, with the EKS, kube-apiserver and
// GCP configuration files, the Entra federated identity credential and the
// Vault mount's config and role.
func partyInputs(sc issuer.Scenario) []evidence.RelyingParty {
	var out []evidence.RelyingParty
	for _, p := range suites.RelyingParties() {
		rp := evidence.RelyingParty{Name: p.Name}
		switch p.Name {
		case eks.Name:
			rp.Files = map[string]evidence.File{eks.FlagConfig: {Path: "scenario", Body: sc.Parties.EKSConfigJSON()}}
		case kubernetes.Name:
			rp.Files = map[string]evidence.File{kubernetes.FlagConfig: {Path: "scenario", Body: sc.Parties.KubeConfigJSON()}}
		case gcp.Name:
			rp.Files = map[string]evidence.File{gcp.FlagProvider: {Path: "scenario", Body: sc.Parties.GCPConfigJSON()}}
		case azure.Name:
			rp.Files = map[string]evidence.File{azure.FlagFIC: {Path: "scenario", Body: sc.Parties.AzureFICJSON()}}
		case vault.Name:
			rp.Files = map[string]evidence.File{vault.FlagConfig: {Path: "scenario", Body: sc.Parties.VaultConfigJSON()},
				vault.FlagRole: {Path: "scenario", Body: sc.Parties.VaultRoleJSON()}}
		}
		out = append(out, rp)
	}
	return out
}

// probeForAll probes a fixture issuer for every relying party, with the
// scenario's inputs and the parties' own verifiers, as `demo --for all`.
func probeForAll(t *testing.T, ca *pki.CA, profile string, defects ...string) *evidence.Target {
	t.Helper()
	srv, err := issuer.New(issuer.Config{Profile: profile, Defects: defects, CA: ca})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	c := fetch.New(fetch.Options{Resolve: srv.ResolveAll(), ExtraRoots: []*x509.Certificate{ca.Root}})
	t.Cleanup(c.CloseIdle)
	sc, err := srv.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	all := suites.RelyingParties()
	var profiles []string
	for _, p := range all.Profiles() {
		profiles = append(profiles, string(p))
	}
	job := probe.Job{
		Input: evidence.Input{
			Issuer: srv.IssuerURL(), Profile: string(all.BaseProfile()), Profiles: profiles,
			Thumbprints: []string{pki.Thumbprint(ca.Intermediate)},
			Audience:    sc.Audience, MaxTokenLifetime: evidence.Duration(sc.MaxTokenLifetime),
			RelyingParties: partyInputs(sc),
		},
		Token: sc.Token, TokenSource: "fixture",
	}
	for _, p := range all {
		if p.Verifier != nil {
			job.Verifiers = append(job.Verifiers, p.Verifier)
		}
	}
	if sc.Watch > 0 {
		job.Watch = &probe.WatchOptions{Duration: sc.Watch, Interval: sc.WatchInterval}
	}
	if sc.Baseline != nil {
		job.Baseline = &evidence.Baseline{Source: "fixture", SavedAt: sc.BaselineSavedAt, JWKS: sc.Baseline}
	}
	return probe.Target(context.Background(), c, job)
}

// matrixOf judges tg for every relying party and returns its rows and the
// relying parties' own check IDs found (failed or warning).
func matrixOf(tg *evidence.Target) ([]relyingparty.Row, []string, map[string]check.Finding) {
	all := suites.RelyingParties()
	cat := suites.FullCatalog()
	findings := runner.JudgeAll(tg, cat)
	rows := all.Matrix(tg, cat, relyingparty.Outcomes(findings), all)
	var own []string
	for id, f := range findings {
		if ownCheck(all, id) && (f.Status == check.Failed || f.Status == check.Warning) {
			own = append(own, id)
		}
	}
	sort.Strings(own)
	return rows, own, findings
}

// ownCheck reports whether id is a relying party's own check (EKS-, K8S-, ...).
func ownCheck(all relyingparty.Registry, id string) bool {
	for _, p := range all {
		if p.Prefix != "" && strings.HasPrefix(id, p.Prefix) {
			return true
		}
	}
	return false
}

// mergeFound merges the parties' tables of own checks by defect, each
// defect's IDs sorted.
func mergeFound(tables []map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, tab := range tables {
		for d, ids := range tab {
			out[d] = append(out[d], ids...)
		}
	}
	for d := range out {
		sort.Strings(out[d])
	}
	return out
}

// rowsWanted returns defect's whole row set in registry order as short
// renders it, and whether any table lists the defect; a table that lacks
// it is an error.
func rowsWanted(t *testing.T, defect string) ([]string, bool) {
	t.Helper()
	var out, missing []string
	for _, p := range suites.RelyingParties() {
		tab, ok := wantRows[p.Name]
		if !ok {
			t.Fatalf("wantRows has no table for %s", p.Name)
		}
		row, ok := tab[defect]
		if !ok {
			missing = append(missing, p.Name)
			continue
		}
		out = append(out, p.Name+" "+row)
	}
	switch {
	case len(out) == 0:
		return nil, false
	case len(missing) > 0:
		t.Errorf("wantRows: %v list defect %q, but %v do not", out, defect, missing)
	}
	return out, true
}

// short renders rows as "party verdict [blocking]" lines.
func short(rows []relyingparty.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%s %s %v", r.RelyingParty, r.Verdict, r.Blocking)
	}
	return out
}

// ownFound are the relying parties' own check IDs each defect makes fail or
// warn when every relying party is asked for with the scenario's set-up,
// merged from every party's table (partyFound); every other defect makes
// none.
var ownFound = mergeFound(partyFound)

// partyFound are the tables of own-check IDs per defect, one per relying
// party with checks of its own, each in its party's acceptance_<party>_test.go.
var partyFound = []map[string][]string{eksFound, k8sFound, gcpFound, azureFound, vaultFound}

// checkedParties are the defects (beside those in ownFound) known to make no
// relying party's own check fail; a defect in neither is only logged.
var checkedParties = map[string]bool{}

func init() {
	for _, d := range issuer.Defects() {
		if d.Profile == "" && !strings.HasPrefix(d.Name, "github-") && !strings.HasPrefix(d.Name, "iam-") && !strings.HasPrefix(d.Name, "pod-") {
			checkedParties[d.Name] = true
		}
	}
}

// wantRows are whole acceptance row sets, one table per relying party (in
// its acceptance_<party>_test.go) as "verdict [blocking]" by defect; a
// defect any table lists must be in every table, so its row set is exact.
// The aws-sts rows are the issuer side of STS: this in-process probe
// registers no IAM provider and calls no STS.
var wantRows = map[string]map[string]string{
	"aws-sts":        awsRows,
	"eks-oidc-login": eksRows,
	"kubernetes-jwt": k8sRows,
	"gcp-wif":        gcpRows,
	"azure-wif":      azureRows,
	"vault-jwt":      vaultRows,
	"oidc":           oidcRows,
}

// TestAcceptanceMatrix runs every defect for every relying party: each
// makes exactly its own-check IDs fail (ownFound), the row sets of
// wantRows are exact, every relying party's own check fails for some defect, and
// kube-apiserver's authenticator agrees with the verdicts (assertAgrees).
func TestAcceptanceMatrix(t *testing.T) {
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, ids := range ownFound {
		for _, id := range ids {
			covered[id] = true
		}
	}
	for _, c := range suites.FullCatalog() {
		if ownCheck(suites.RelyingParties(), c.ID) && !covered[c.ID] {
			t.Errorf("%s has no fixture defect that makes it fail", c.ID)
		}
	}
	for _, d := range issuer.Defects() {
		if !slices.Equal(d.PartyFails, ownFound[d.Name]) {
			t.Errorf("defect %s: PartyFails %v, but the matrix table says %v", d.Name, d.PartyFails, ownFound[d.Name])
		}
	}
	profileOf := map[string]string{}
	for _, d := range issuer.Defects() {
		profileOf[d.Name] = d.Profile
	}
	for _, d := range append([]string{""}, defectNames()...) {
		t.Run("defect "+d, func(t *testing.T) {
			t.Parallel()
			var defects []string
			if d != "" {
				defects = []string{d}
			}
			profile := "eks"
			if p := profileOf[d]; p != "" {
				profile = p
			}
			tg := probeForAll(t, ca, profile, defects...)
			rows, own, findings := matrixOf(tg)
			assertAgrees(t, tg, rows)
			assertVaultAgrees(t, tg, rows)
			want, listed := ownFound[d]
			if !listed && !checkedParties[d] {
				// A defect added since the table was written: its party
				// findings are logged until the table lists them.
				t.Logf("own checks found %v (not in ownFound yet)", own)
			} else if !slices.Equal(own, want) {
				for _, id := range own {
					t.Logf("%s: %s", id, findings[id].Message)
				}
				t.Errorf("own checks found %v, want %v", own, want)
			}
			if want, ok := rowsWanted(t, d); ok && !slices.Equal(short(rows), want) {
				t.Errorf("rows %q, want %q", short(rows), want)
			}
			for _, r := range rows {
				if r.Disagreement != "" {
					t.Errorf("%s: %s", r.RelyingParty, r.Disagreement)
				}
			}
		})
	}
}

// assertAgrees: kube-apiserver's authenticator run in-process and the
// verdict of the K8S- (and EKS-) checks agree: it accepts exactly when the
// relying party accepts, unless only rules about time or transport (ROT-,
// TLS-), which one in-process call cannot see, refuse; where the probe
// lacked a document the verdict is unknown.
func assertAgrees(t *testing.T, tg *evidence.Target, rows []relyingparty.Row) {
	t.Helper()
	for _, r := range rows {
		if r.RelyingParty != kubernetes.Name && r.RelyingParty != eks.Name {
			continue
		}
		a, ok := kubeauth.RecordedAnswer(tg, r.RelyingParty)
		if !ok {
			t.Fatalf("%s: the authenticator did not run", r.RelyingParty)
		}
		switch {
		case r.Verdict == relyingparty.Unknown:
		case a.Accepted() && r.Verdict == relyingparty.Rejects && !onlyTemporal(r.Blocking):
			t.Errorf("%s: the authenticator accepts (%s), the checks reject %v", r.RelyingParty, a.Describe(), r.Blocking)
		case !a.Accepted() && r.Verdict == relyingparty.Accepts:
			t.Errorf("%s: the authenticator refuses (%s), the checks accept", r.RelyingParty, a.Error)
		}
	}
}

// onlyTemporal reports whether every ID is a rotation or TLS rule (K8S-011
// judges the TLS chain against the jwt[] entry's CA).
func onlyTemporal(ids []string) bool {
	for _, id := range ids {
		if !strings.HasPrefix(id, "ROT-") && !strings.HasPrefix(id, "TLS-") && id != "K8S-011" {
			return false
		}
	}
	return len(ids) > 0
}

func defectNames() []string {
	var out []string
	for _, d := range issuer.Defects() {
		out = append(out, d.Name)
	}
	return out
}
