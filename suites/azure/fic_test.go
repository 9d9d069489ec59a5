package azure

import (
	"fmt"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// miShow is what az identity federated-credential show prints.
const miShow = `{
  "audiences": ["api://AzureADTokenExchange"],
  "id": "/subscriptions/0/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi/federatedIdentityCredentials/fic",
  "issuer": "https://oidc.prod-aks.azure.com/tenant/cluster/",
  "name": "fic",
  "resourceGroup": "rg",
  "subject": "system:serviceaccount:default:my-sa",
  "systemData": null,
  "type": "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"
}`

// graphShow is Graph's federatedIdentityCredential (az ad app
// federated-credential show).
const graphShow = `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications('x')/federatedIdentityCredentials/$entity",
  "audiences":["api://AzureADTokenExchange"],"description":null,"id":"3f2b","issuer":"https://token.actions.githubusercontent.com",
  "name":"main","subject":"repo:o/r:ref:refs/heads/main","claimsMatchingExpression":null}`

// fic renders one credential as JSON.
func fic(name, issuer, subject string, auds ...string) string {
	q := make([]string, len(auds))
	for i, a := range auds {
		q[i] = fmt.Sprintf("%q", a)
	}
	return fmt.Sprintf(`{"name":%q,"issuer":%q,"subject":%q,"audiences":[%s]}`, name, issuer, subject, strings.Join(q, ","))
}

func TestParseFICs(t *testing.T) {
	good := fic("a", "https://a.test", "s", DefaultAudience)
	tests := []struct {
		name, in string
		want     string // name issuer subject audience of each credential
		err      string
	}{
		{"managed identity show", miShow, "fic https://oidc.prod-aks.azure.com/tenant/cluster/ system:serviceaccount:default:my-sa api://AzureADTokenExchange", ""},
		{"Graph show", graphShow, "main https://token.actions.githubusercontent.com repo:o/r:ref:refs/heads/main api://AzureADTokenExchange", ""},
		{"ARM resource with properties", `{"name":"p","properties":{"issuer":"https://a.test","subject":"s","audiences":["x"]}}`, "p https://a.test s x", ""},
		{"az list: an array", "[" + good + "," + fic("b", "https://a.test", "t", "x") + "]", "a https://a.test s api://AzureADTokenExchange|b https://a.test t x", ""},
		{"Graph list: value", `{"value":[` + good + `]}`, "a https://a.test s api://AzureADTokenExchange", ""},
		{"two audiences", fic("a", "https://a.test", "s", "x", "y"), "", "Federated identity credentials must have exactly one audience."},
		{"no audience", fic("a", "https://a.test", "s"), "", "exactly one audience"},
		{"no subject", fic("a", "https://a.test", "", "x"), "", "no subject"},
		{"no issuer", fic("a", "", "s", "x"), "", "no issuer"},
		{"subject over 600", fic("a", "https://a.test", strings.Repeat("s", 601), "x"), "", "subject is 601 characters"},
		{"issuer over 600", fic("a", "https://a.test/"+strings.Repeat("p", 600), "s", "x"), "", "issuer is 615 characters"},
		{"audience over 600", fic("a", "https://a.test", "s", strings.Repeat("x", 601)), "", "audience is 601 characters"},
		{"an Entra issuer", fic("a", "https://login.microsoftonline.com/tenant/v2.0", "s", "x"), "", "AADSTS700222"},
		{"an Entra issuer under sts.windows.net", fic("a", "https://x.sts.windows.net/", "s", "x"), "", "AADSTS700222"},
		{"a flexible credential", `{"name":"f","issuer":"https://a.test","audiences":["x"],"claimsMatchingExpression":{"value":"claims['sub'] matches 'repo:*'","languageVersion":1}}`, "", "flexible"},
		{"a repeated pair", "[" + good + "," + good + "]", "", "repeat another credential's"},
		{"over 20", "[" + strings.Repeat(good+",", 20) + good + "]", "", "at most 20"},
		{"empty list", "[]", "", "no federated identity credential"},
		{"not JSON", "{", "", "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fics, err := ParseFICs([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fics {
				got = append(got, strings.Join([]string{f.Name, f.Issuer, f.Subject, f.Audiences[0]}, " "))
			}
			if strings.Join(got, "|") != tt.want {
				t.Errorf("got %q, want %q", strings.Join(got, "|"), tt.want)
			}
		})
	}
}

func TestCredentialsOf(t *testing.T) {
	in := evidence.Input{Issuer: "https://probed.test", Audience: "sts.amazonaws.com", RelyingParties: []evidence.RelyingParty{{Name: Name}}}
	c, err := credentialsOf(in, "system:serviceaccount:ns:sa")
	if err != nil {
		t.Fatal(err)
	}
	f := c.FICs[0]
	if len(c.FICs) != 1 || f.Issuer != "https://probed.test" || f.Subject != "system:serviceaccount:ns:sa" || f.Audiences[0] != DefaultAudience || len(c.Assumed) != 1 {
		t.Errorf("assumed credential %+v, assumed %q: want the probed issuer, the token's sub and %s, said", c.FICs, c.Assumed, DefaultAudience)
	}
	in.RelyingParties[0].Files = map[string]evidence.File{FlagFIC: {Path: "fic.json", Body: []byte("[]")}}
	if _, err := credentialsOf(in, ""); err == nil || !strings.Contains(err.Error(), "--azure-fic fic.json") {
		t.Errorf("error %v, want it to name the flag and the file", err)
	}
}
