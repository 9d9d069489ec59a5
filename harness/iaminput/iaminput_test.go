package iaminput

import (
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

func TestReadProvider(t *testing.T) {
	tests := []struct {
		name, json  string
		url, arn    string
		clientIDs   int
		wantErrPart string
	}{
		{"get-open-id-connect-provider (no ARN)", `{"Url":"issuer.test/id/X","ClientIDList":["sts.amazonaws.com"],"ThumbprintList":[],"CreateDate":"2026-01-02T03:04:05Z","Tags":[]}`,
			"issuer.test/id/X", "", 1, ""},
		{"harness form", `{"url":"issuer.test/id/X","client_ids":["a","b"]}`, "issuer.test/id/X", "", 2, ""},
		{"with its ARN", `{"Url":"issuer.test/id/X","ClientIDList":["a"],"Arn":"arn:aws:iam::111122223333:oidc-provider/issuer.test/id/X"}`,
			"issuer.test/id/X", "arn:aws:iam::111122223333:oidc-provider/issuer.test/id/X", 1, ""},
		{"ARN of another URL", `{"Url":"issuer.test/id/X","Arn":"arn:aws:iam::111122223333:oidc-provider/other"}`, "", "", 0, "does not name its URL"},
		{"malformed ARN", `{"Url":"issuer.test/id/X","Arn":"nope"}`, "", "", 0, "is not arn:aws:iam"},
		{"no URL", `{"ClientIDList":["a"]}`, "", "", 0, "no Url"},
		{"not JSON", `nope`, "", "", 0, "not the JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ReadProvider([]byte(tt.json))
			if tt.wantErrPart != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrPart) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErrPart)
				}
				return
			}
			if err != nil || p.URL != tt.url || p.ARN != tt.arn || len(p.ClientIDs) != tt.clientIDs {
				t.Errorf("ReadProvider = %+v, %v; want URL %q ARN %q and %d client IDs", p, err, tt.url, tt.arn, tt.clientIDs)
			}
		})
	}
}

func TestFederatedARN(t *testing.T) {
	p, err := trust.Parse([]byte(`{"Role":{"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::999999999999:oidc-provider/other"},"Action":"sts:AssumeRoleWithWebIdentity"},
		{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/issuer.test/id/X"},"Action":"sts:AssumeRoleWithWebIdentity"}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]string{
		"issuer.test/id/X":         "arn:aws:iam::111122223333:oidc-provider/issuer.test/id/X",
		"https://issuer.test/id/X": "arn:aws:iam::111122223333:oidc-provider/issuer.test/id/X",
		"unknown.test":             "",
	} {
		if got := FederatedARN(p, host); got != want {
			t.Errorf("FederatedARN(%q) = %q, want %q", host, got, want)
		}
	}
	if got := AccountOf("arn:aws:iam::111122223333:role/x"); got != "111122223333" {
		t.Errorf("AccountOf = %q", got)
	}
}
