// Package iaminput reads the IAM side of a web identity federation as the
// AWS CLI prints it, once for every command (run and explain): the OIDC
// provider (aws iam get-open-id-connect-provider, which prints no ARN), the
// role's trust policy (aws iam get-role, or the bare document), and the
// account they live in when no role ARN is given.
package iaminput

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// accountRE is a 12-digit account ID.
var accountRE = regexp.MustCompile(`^[0-9]{12}$`)

// Provider is an IAM OIDC provider as a file gives it, not yet judged.
type Provider struct {
	// URL is the provider URL as IAM stores it (without https://, though a
	// file may carry it).
	URL string
	// ClientIDs and Thumbprints are IAM's ClientIDList and ThumbprintList.
	ClientIDs, Thumbprints []string
	// ARN is the provider ARN when the JSON carries one (Arn, or
	// OpenIDConnectProviderArn as list-open-id-connect-providers prints
	// it); get-open-id-connect-provider prints none.
	ARN string
}

// ReadProvider reads the JSON of `aws iam get-open-id-connect-provider`
// ({"Url", "ClientIDList", "ThumbprintList"}) or the harness's own form
// ({"url", "client_ids", "thumbprints"}). It judges nothing but the shape:
// IAM-001..003 judge the values.
func ReadProvider(b []byte) (Provider, error) {
	var raw struct {
		URL            string   `json:"Url"`
		ClientIDList   []string `json:"ClientIDList"`
		ThumbprintList []string `json:"ThumbprintList"`
		URL2           string   `json:"url"`
		ClientIDs      []string `json:"client_ids"`
		Thumbprints    []string `json:"thumbprints"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return Provider{}, fmt.Errorf("not the JSON of aws iam get-open-id-connect-provider: %w", err)
	}
	p := Provider{URL: raw.URL, ClientIDs: raw.ClientIDList, Thumbprints: raw.ThumbprintList}
	if p.URL == "" {
		p.URL, p.ClientIDs, p.Thumbprints = raw.URL2, raw.ClientIDs, raw.Thumbprints
	}
	if p.URL == "" {
		return Provider{}, errors.New("no Url member")
	}
	arn, err := providerARN(b)
	if err != nil {
		return Provider{}, err
	}
	if arn != "" && trust.ProviderHostOf(arn) != strings.TrimPrefix(p.URL, "https://") {
		return Provider{}, fmt.Errorf("its ARN %s does not name its URL %s", arn, p.URL)
	}
	p.ARN = arn
	return p, nil
}

// providerARN returns the provider ARN an IAM provider JSON carries, "" when none.
func providerARN(b []byte) (string, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return "", err
	}
	for _, name := range []string{"OpenIDConnectProviderArn", "Arn", "arn"} {
		raw, ok := members[name]
		if !ok {
			continue
		}
		var arn string
		if err := json.Unmarshal(raw, &arn); err != nil || AccountOf(arn) == "" || trust.ProviderHostOf(arn) == "" {
			return "", fmt.Errorf("%s %s is not arn:aws:iam::<account>:oidc-provider/<url>", name, raw)
		}
		return arn, nil
	}
	return "", nil
}

// AccountOf is the 12-digit account of an ARN, "" when it has none.
func AccountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || !accountRE.MatchString(parts[4]) {
		return ""
	}
	return parts[4]
}

// FederatedARN is the first Federated principal of the trust policy that
// names the provider host (the issuer without https://) and carries an
// account: where the role's account comes from when no role ARN is given.
// "" when none does.
func FederatedARN(p *trust.Policy, host string) string {
	if p == nil || host == "" {
		return ""
	}
	host = strings.TrimPrefix(host, "https://")
	for _, st := range p.Statements {
		for _, f := range st.Principal.Federated {
			if trust.ProviderHostOf(f) == host && AccountOf(f) != "" {
				return f
			}
		}
	}
	return ""
}
