package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
	"github.com/oidc-conformance/oidc-conformance/reports/schematest"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// acceptanceOf reads the acceptance rows of a JSON report's one target as
// "party verdict [blocking]".
func acceptanceOf(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := schematest.Validate(b); err != nil {
		t.Errorf("%s: %v", path, err)
	}
	var doc struct {
		Targets []struct {
			Acceptance []struct {
				RelyingParty string   `json:"relying_party"`
				Verdict      string   `json:"verdict"`
				Blocking     []string `json:"blocking"`
				Assumed      []string `json:"assumed"`
			} `json:"acceptance"`
		} `json:"targets"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Targets) != 1 {
		t.Fatalf("report %s: %v", path, err)
	}
	var out []string
	for _, r := range doc.Targets[0].Acceptance {
		if r.Blocking == nil || r.Assumed == nil {
			t.Errorf("%s: blocking %v, assumed %v: both are always arrays", r.RelyingParty, r.Blocking, r.Assumed)
		}
		out = append(out, fmt.Sprintf("%s %s %v", r.RelyingParty, r.Verdict, r.Blocking))
	}
	return out
}

// TestDemoForAll: `demo --for all` accepts for every relying party, and a
// defect makes exactly the right ones refuse with their root causes, in the
// JSON, console, Markdown and JUnit reports and in the exit code.
func TestDemoForAll(t *testing.T) {
	tests := []struct {
		args []string
		code int
		// not are the rows other than "accepts []", by relying party:
		// every other party of the registry accepts.
		not map[string]string
	}{
		{nil, ExitPass, nil},
		{[]string{"--profile", "idp"}, ExitPass, nil},
		{[]string{"--defect", "token-ps256"}, ExitFail, map[string]string{"aws-sts": "rejects [TOK-002]", "eks-oidc-login": "unknown []", "gcp-wif": "rejects [GCP-003]", "azure-wif": "unknown []"}},
		// STS's 20000 characters are STS's: every other party accepts.
		{[]string{"--defect", "token-too-long"}, ExitFail, map[string]string{"aws-sts": "rejects [TOK-013]"}},
		{[]string{"--defect", "token-es384"}, ExitFail, map[string]string{"eks-oidc-login": "unknown []", "gcp-wif": "rejects [GCP-003]", "azure-wif": "unknown []"}},
		// none is TOK-012's, the root every relying party reads: reported once.
		{[]string{"--defect", "token-alg-none"}, ExitFail, map[string]string{"aws-sts": "rejects [TOK-012]", "eks-oidc-login": "rejects [TOK-012]",
			"kubernetes-jwt": "rejects [TOK-012]", "gcp-wif": "rejects [TOK-012]", "azure-wif": "rejects [TOK-012]", "vault-jwt": "rejects [TOK-012]", "oidc": "rejects [TOK-012]"}},
		{[]string{"--defect", "gcp-condition-refuses"}, ExitFail, map[string]string{"gcp-wif": "rejects [GCP-009]"}},
		{[]string{"--defect", "eks-wrong-client-id"}, ExitFail, map[string]string{"eks-oidc-login": "rejects [EKS-003]"}},
		{[]string{"--defect", "cel-rule-refuses"}, ExitFail, map[string]string{"kubernetes-jwt": "rejects [K8S-010]"}},
		{[]string{"--defect", "email-unverified", "--profile", "idp"}, ExitFail, map[string]string{"eks-oidc-login": "rejects [EKS-005]", "kubernetes-jwt": "rejects [K8S-007]"}},
		{[]string{"--defect", "vault-bound-subject-mismatch"}, ExitFail, map[string]string{"vault-jwt": "rejects [VLT-006]"}},
		{[]string{"--defect", "token-lifetime-30h"}, ExitFail, map[string]string{"azure-wif": "rejects [AZR-004]"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			r := cli(t, append([]string{"demo", "--for", "all", "--out", dir}, tt.args...)...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tt.code, r.stderr)
			}
			var want []string
			for _, p := range suites.RelyingParties() {
				row, ok := tt.not[p.Name]
				if !ok {
					row = "accepts []"
				}
				want = append(want, p.Name+" "+row)
			}
			if got := acceptanceOf(t, filepath.Join(dir, "report.json")); !slices.Equal(got, want) {
				t.Errorf("acceptance %q, want %q", got, want)
			}
			for _, f := range []struct{ file, want string }{
				{"console.txt", "relying party"}, {"report.md", "### Acceptance"}, {"junit.xml", `name="acceptance kubernetes-jwt"`},
			} {
				b, err := os.ReadFile(filepath.Join(dir, f.file))
				if err != nil || !strings.Contains(string(b), f.want) {
					t.Errorf("%s lacks %q (%v)", f.file, f.want, err)
				}
			}
		})
	}
}

// TestRunForExitCode: the exit code follows the relying parties asked for:
// a PS256 token fails STS's rules, which --for kubernetes-jwt does not read.
func TestRunForExitCode(t *testing.T) {
	dir := t.TempDir()
	r := cli(t, "demo", "--for", "kubernetes-jwt", "--defect", "token-ps256", "--out", dir)
	if r.code != ExitPass {
		t.Errorf("exit %d, want %d: kubernetes-jwt accepts a PS256 token\n%s", r.code, ExitPass, r.stdout)
	}
	if got := acceptanceOf(t, filepath.Join(dir, "report.json")); !slices.Equal(got, []string{"kubernetes-jwt accepts []"}) {
		t.Errorf("acceptance %q", got)
	}
}

// TestRunForBadInput: bad --for values and relying-party inputs are one
// line and exit 2.
func TestRunForBadInput(t *testing.T) {
	twoAudiences := filepath.Join(t.TempDir(), "fic.json")
	if err := os.WriteFile(twoAudiences, []byte(`{"name":"f","issuer":"https://issuer.test","subject":"s","audiences":["a","b"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "auth.yaml")
	if err := os.WriteFile(bad, []byte("apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer:\n    url: http://insecure.test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--for", "gcp"}, `unknown relying party "gcp"`},
		{[]string{"--eks-client-id", "x"}, "--eks-client-id x: an input of eks-oidc-login"},
		{[]string{"--for", "kubernetes-jwt", "--k8s-auth-config", bad}, "kube-apiserver would not start with it"},
		{[]string{"--for", "aws-sts", "--profile", "aws"}, "alias of --for"},
		{[]string{"--for", "azure-wif", "--azure-fic", twoAudiences}, "Federated identity credentials must have exactly one audience."},
	} {
		r := cli(t, append([]string{"run", "--issuer", "https://issuer.test"}, tt.args...)...)
		if r.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", tt.args, r.code, ExitUsage)
		}
		r.oneLine(t, tt.want)
	}
}

// TestExplainFor answers the matrix offline from files: the token, the
// JWKS, the trust policy and the relying parties' configuration files.
func TestExplainFor(t *testing.T) {
	w := newExplainWorld(t)
	tok := w.write(t, "token.jwt", []byte(w.mint(t, issuer.TokenOptions{Audience: explainAud})))
	auth := w.write(t, "auth.yaml", []byte(`apiVersion: apiserver.config.k8s.io/v1beta1
kind: AuthenticationConfiguration
jwt:
- issuer:
    url: `+w.srv.IssuerURL()+`
    audiences: [`+explainAud+`]
  claimMappings:
    username: {claim: sub, prefix: "k8s:"}
  claimValidationRules:
  - expression: 'claims.sub.startsWith("system:serviceaccount:kube-system:")'
    message: only kube-system service accounts
`))
	fic := w.write(t, "fic.json", []byte(`{"name":"sa","issuer":"`+w.srv.IssuerURL()+`","subject":"system:serviceaccount:default:my-sa","audiences":["`+explainAud+`"]}`))
	gcpProvider := w.write(t, "gcp-provider.json", []byte(`{"name":"projects/1/locations/global/workloadIdentityPools/pool/providers/prov","state":"ACTIVE",
  "oidc":{"issuerUri":"`+w.srv.IssuerURL()+`","allowedAudiences":["`+explainAud+`"]},
  "attributeMapping":{"google.subject":"assertion.sub"},
  "attributeCondition":"google.subject.startsWith('system:serviceaccount:kube-system:')"}`))
	// Over STS's 20000 characters: STS's length rule (TOK-013) alone
	// refuses it. Over the 64 KiB the harness decodes: only measured, so
	// STS refuses it and no other party's answer is known; nothing is
	// judged on a configuration synthesized from an iss never read.
	long := w.write(t, "long.jwt", []byte(w.signed(t, func(c map[string]any) { c["pad"] = strings.Repeat("x", 20000) })))
	huge := w.write(t, "huge.jwt", []byte(w.signed(t, func(c map[string]any) { c["pad"] = strings.Repeat("x", 80000) })))
	tests := []struct {
		name  string
		token string // --token; tok when ""
		args  []string
		code  int
		want  []string
		not   []string // the output must not hold
	}{
		{name: "every party", args: []string{"--for", "all", "--trust-policy", w.trust, "--iam-provider", w.provider, "--jwks", w.jwks, "--azure-fic", fic}, code: ExitPass,
			want: []string{"aws-sts         accepts", "eks-oidc-login  accepts", "kubernetes-jwt  accepts", "gcp-wif         accepts", "azure-wif       accepts", "oidc            accepts", "login:"}},
		{name: "over STS's length: STS alone refuses", token: long, args: []string{"--for", "all", "--trust-policy", w.trust, "--iam-provider", w.provider, "--jwks", w.jwks, "--azure-fic", fic},
			code: ExitFail, want: []string{"aws-sts         rejects  TOK-013", "eks-oidc-login  accepts", "kubernetes-jwt  accepts", "gcp-wif         accepts",
				"azure-wif       accepts", "oidc            accepts", "over STS's limit of 20000"}, not: []string{"FAIL  TOK-001"}},
		{name: "too long to decode: STS refuses, the others are unknown", token: huge, args: []string{"--for", "all", "--trust-policy", w.trust, "--jwks", w.jwks},
			code: ExitFail, want: []string{"aws-sts         rejects  TOK-013", "eks-oidc-login  unknown", "kubernetes-jwt  unknown", "gcp-wif         unknown",
				"azure-wif       unknown", "vault-jwt       unknown", "oidc            unknown", "provider: none (the token was not decoded", "the token was not decoded: "},
			not: []string{"FAIL  TOK-001", "FAIL  EKS-", "FAIL  K8S-", "FAIL  GCP-", "FAIL  AZR-", "FAIL  IAM-", "issuer.url: Required value", "oidc-provider/:", "synthesized from the token"}},
		{name: "Entra's default audience refuses", args: []string{"--for", "azure-wif", "--jwks", w.jwks}, code: ExitFail,
			want: []string{"azure-wif      rejects  AZR-003", "AADSTS700212", "api://AzureADTokenExchange"}},
		{name: "a GCP attribute condition refuses", args: []string{"--for", "gcp-wif", "--jwks", w.jwks, "--gcp-provider", gcpProvider}, code: ExitFail,
			want: []string{"rejects  GCP-009", "rejected by the attribute condition"}},
		{name: "a CEL rule refuses", args: []string{"--for", "kubernetes-jwt", "--jwks", w.jwks, "--k8s-auth-config", auth}, code: ExitFail,
			want: []string{"kubernetes-jwt  rejects  K8S-010", "only kube-system service accounts"}},
		{name: "Vault judged offline", args: []string{"--for", "vault-jwt", "--jwks", w.jwks}, code: ExitPass,
			want: []string{"vault-jwt      accepts", "login:"}},
		{name: "no keys: cannot tell", args: []string{"--for", "eks-oidc-login"}, code: ExitPass,
			want: []string{"eks-oidc-login  unknown", "EKS-010 not judged"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := tok
			if tt.token != "" {
				token = tt.token
			}
			r := runExplainCLI(t, append([]string{"--token", token}, tt.args...)...)
			for _, s := range tt.not {
				if strings.Contains(r.stdout, s) {
					t.Errorf("output holds %q:\n%s", s, r.stdout)
				}
			}
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("output lacks %q:\n%s", s, r.stdout)
				}
			}
		})
	}
}
