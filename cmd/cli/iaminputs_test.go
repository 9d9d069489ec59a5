package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// TestRunReadsIAMFilesAsExplainDoes: given --trust-policy and --iam-provider
// exactly as aws iam get-role and aws iam get-open-id-connect-provider print
// them (the latter carries no ARN) and no --role-arn, run takes the account
// from the policy's Federated principal, as explain does, and judges IAM-004
// and IAM-007.
func TestRunReadsIAMFilesAsExplainDoes(t *testing.T) {
	srv, args := fixture(t, "eks")
	sc, err := srv.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	host := trust.ProviderHost(srv.IssuerURL())
	arn := trust.ProviderARN("111122223333", srv.IssuerURL())
	var doc map[string]any
	if err := json.Unmarshal(trust.LeastPrivilege(arn, host, "sts.amazonaws.com", "system:serviceaccount:default:my-sa"), &doc); err != nil {
		t.Fatal(err)
	}
	role := write("role.json", map[string]any{"Role": map[string]any{
		"RoleName": "my-app", "Arn": "arn:aws:iam::111122223333:role/my-app", "AssumeRolePolicyDocument": doc,
	}})
	provider := write("provider.json", map[string]any{
		"Url": host, "ClientIDList": []string{"sts.amazonaws.com"}, "ThumbprintList": []string{},
		"CreateDate": "2026-01-02T03:04:05+00:00", "Tags": []any{},
	})
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(sc.Token), 0o600); err != nil {
		t.Fatal(err)
	}
	r := cli(t, append([]string{"run", "--json", dir + "/r.json", "--token-file", tokenFile, "--trust-policy", role, "--iam-provider", provider}, args...)...)
	rep := jsonReport(t, dir+"/r.json")
	for _, id := range []string{"IAM-004", "IAM-007"} {
		if rep[id] != "passed" {
			t.Errorf("%s %q, want passed (exit %d)\n%s", id, rep[id], r.code, strings.TrimSpace(r.stdout))
		}
	}
}
