package gcp

import (
	"fmt"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

const providerName = "projects/123456789012/locations/global/workloadIdentityPools/my-pool/providers/my-provider"

// describe is a provider as gcloud's describe prints it, with edit applied
// to its members.
func describe(edit func(m map[string]string)) string {
	m := map[string]string{
		"name":      `"` + providerName + `"`,
		"oidc":      `{"issuerUri":"https://idp.test","allowedAudiences":["aud-1"]}`,
		"mapping":   `{"google.subject":"assertion.sub","attribute.ns":"assertion['kubernetes.io'].namespace"}`,
		"condition": `"attribute.ns == 'default'"`,
	}
	if edit != nil {
		edit(m)
	}
	return fmt.Sprintf(`{"name":%s,"state":"ACTIVE","disabled":false,"oidc":%s,"attributeMapping":%s,"attributeCondition":%s}`,
		m["name"], m["oidc"], m["mapping"], m["condition"])
}

func TestParseProvider(t *testing.T) {
	many := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, ",")
	}
	tests := []struct {
		name, body, wantErr string
	}{
		{"describe output", describe(nil), ""},
		{"no condition", describe(func(m map[string]string) { m["condition"] = `""` }), ""},
		{"not JSON", "{", "not the JSON"},
		{"too big", strings.Repeat(" ", maxProviderBytes+1), "over the"},
		{"no issuerUri", describe(func(m map[string]string) { m["oidc"] = `{}` }), "issuerUri is missing"},
		{"project ID, not number", describe(func(m map[string]string) {
			m["name"] = `"projects/my-project/locations/global/workloadIdentityPools/my-pool/providers/my-provider"`
		}), "project NUMBER"},
		{"11 audiences", describe(func(m map[string]string) {
			m["oidc"] = `{"issuerUri":"https://idp.test","allowedAudiences":[` + many(11, func(i int) string { return fmt.Sprintf(`"a%d"`, i) }) + `]}`
		}), "11 values"},
		{"a 257-character audience", describe(func(m map[string]string) {
			m["oidc"] = `{"issuerUri":"https://idp.test","allowedAudiences":["` + strings.Repeat("a", 257) + `"]}`
		}), "over GCP's 256"},
		{"no google.subject", describe(func(m map[string]string) { m["mapping"] = `{"attribute.ns":"assertion.sub"}`; m["condition"] = `""` }), "no google.subject"},
		{"bad attribute name", describe(func(m map[string]string) {
			m["mapping"] = `{"google.subject":"assertion.sub","attribute.Ns":"assertion.sub"}`
		}), "[a-z0-9_]"},
		{"unknown google key", describe(func(m map[string]string) {
			m["mapping"] = `{"google.subject":"assertion.sub","google.email":"assertion.sub"}`
		}), "neither attribute"},
		{"51 custom attributes", describe(func(m map[string]string) {
			m["mapping"] = `{"google.subject":"assertion.sub",` + many(51, func(i int) string { return fmt.Sprintf(`"attribute.a%d":"assertion.sub"`, i) }) + `}`
		}), "51 custom"},
		{"mapping over 2048 characters", describe(func(m map[string]string) {
			m["mapping"] = `{"google.subject":"assertion.sub` + strings.Repeat(" ", maxMappingLen) + `"}`
		}), "over GCP's 2048"},
		{"mapping does not compile", describe(func(m map[string]string) { m["mapping"] = `{"google.subject":"assertion.sub +"}` }), "does not compile"},
		{"mapping names an unknown variable", describe(func(m map[string]string) { m["mapping"] = `{"google.subject":"google.subject"}` }), "does not compile"},
		{"condition does not compile", describe(func(m map[string]string) { m["condition"] = `"attribute.ns =="` }), "does not compile"},
		{"condition is not boolean", describe(func(m map[string]string) { m["condition"] = `"1 + 2"` }), "not bool"},
		{"condition over 4096 characters", describe(func(m map[string]string) { m["condition"] = `"true` + strings.Repeat(" ", maxConditionLen) + `"` }), "over GCP's 4096"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseProvider([]byte(tt.body))
			if tt.wantErr == "" {
				if err != nil || p.OIDC.IssuerURI != "https://idp.test" {
					t.Fatalf("got %v, %v", p, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestProviderOf(t *testing.T) {
	in := func(file string) evidence.Input {
		rp := evidence.RelyingParty{Name: Name}
		if file != "" {
			rp.Files = map[string]evidence.File{FlagProvider: {Path: "p.json", Body: []byte(file)}}
		}
		return evidence.Input{Issuer: "https://probed.test", Audience: "aud-x", RelyingParties: []evidence.RelyingParty{rp}}
	}
	p, err := providerOf(in(""))
	if err != nil || p.OIDC.IssuerURI != "https://probed.test" || p.Audiences()[0] != "aud-x" || len(p.Assumed) != 1 || p.AttributeMapping[subjectKey] != "assertion.sub" {
		t.Errorf("without a file: %+v, %v", p, err)
	}
	p, err = providerOf(in(describe(func(m map[string]string) { m["oidc"] = `{"issuerUri":"https://idp.test"}` })))
	want := []string{"//iam.googleapis.com/" + providerName, "https://iam.googleapis.com/" + providerName}
	if err != nil || len(p.Assumed) != 0 || strings.Join(p.Audiences(), " ") != strings.Join(want, " ") {
		t.Errorf("no allowedAudiences: audiences %q, %v; want %q", p.Audiences(), err, want)
	}
	if _, err := providerOf(in("[]")); err == nil || !strings.Contains(err.Error(), "--gcp-provider p.json") {
		t.Errorf("a bad file: %v", err)
	}
}
