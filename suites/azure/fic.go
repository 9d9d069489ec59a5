package azure

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Limits of a federated identity credential (entra-docs
// federated-credential-configuration-considerations.md).
const (
	// maxField is the longest issuer, subject or audience, in characters.
	maxField = 600
	// maxCredentials is how many federated identity credentials an app
	// registration or a user-assigned managed identity holds.
	maxCredentials = 20
	// DefaultAudience is the audience Entra documents and the portal and az
	// fill in for a new federated identity credential.
	DefaultAudience = "api://AzureADTokenExchange"
)

// entraHosts are Entra's own token issuers: a federated identity credential
// whose issuer is one of them (or under one) is refused with AADSTS700222.
var entraHosts = []string{"login.microsoftonline.com", "sts.windows.net", "login.windows.net", "login.microsoft.com"}

// FIC is one federated identity credential: what Entra matches a token
// against.
type FIC struct {
	Name      string   `json:"name"`
	Issuer    string   `json:"issuer"`
	Subject   string   `json:"subject"`
	Audiences []string `json:"audiences"`
	// ClaimsMatchingExpression is set on a flexible federated identity
	// credential (preview), which this party does not judge.
	ClaimsMatchingExpression json.RawMessage `json:"claimsMatchingExpression,omitempty"`
}

// Credentials are the federated identity credentials of one app
// registration or managed identity, with what was assumed when none was given.
type Credentials struct {
	FICs []FIC
	// Assumed says what a run without --azure-fic assumed.
	Assumed []string
}

// credentialsOf reads the target's --azure-fic file, or assumes Entra's
// default credential for the probed issuer and the token's subject.
func credentialsOf(in evidence.Input, tokenSubject string) (Credentials, error) {
	rp, _ := in.Party(Name)
	f, ok := rp.Files[FlagFIC]
	if !ok {
		return Credentials{
			FICs: []FIC{{Name: "assumed", Issuer: in.Issuer, Subject: tokenSubject, Audiences: []string{DefaultAudience}}},
			Assumed: []string{fmt.Sprintf("no --%s: a federated identity credential with issuer the probed issuer, subject the token's sub (not judged) and audiences [%s], Entra's default",
				FlagFIC, DefaultAudience)},
		}, nil
	}
	fics, err := ParseFICs(f.Body)
	if err != nil {
		return Credentials{}, fmt.Errorf("--%s %s: %w", FlagFIC, f.Path, err)
	}
	return Credentials{FICs: fics}, nil
}

// ParseFICs reads what az identity federated-credential show or list, az ad
// app federated-credential show or list, or Graph's federatedIdentityCredential
// (one, or a collection's "value") prints, and validates every credential as
// Entra does when it is written.
func ParseFICs(b []byte) ([]FIC, error) {
	b = bytes.TrimSpace(b)
	var raws []json.RawMessage
	switch {
	case len(b) > 0 && b[0] == '[':
		if err := json.Unmarshal(b, &raws); err != nil {
			return nil, fmt.Errorf("not a JSON array of federated identity credentials: %w", err)
		}
	default:
		var coll struct {
			Value *[]json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(b, &coll); err != nil {
			return nil, fmt.Errorf("not JSON: %w", err)
		}
		raws = []json.RawMessage{b}
		if coll.Value != nil {
			raws = *coll.Value
		}
	}
	switch {
	case len(raws) == 0:
		return nil, errors.New("no federated identity credential")
	case len(raws) > maxCredentials:
		return nil, fmt.Errorf("%d federated identity credentials: Entra holds at most %d per app registration or managed identity", len(raws), maxCredentials)
	}
	fics := make([]FIC, 0, len(raws))
	pairs := map[[2]string]bool{}
	for i, raw := range raws {
		fic, err := parseFIC(raw)
		if err != nil {
			return nil, fmt.Errorf("credential %d: %w", i+1, err)
		}
		pair := [2]string{fic.Issuer, fic.Subject}
		if pairs[pair] {
			return nil, fmt.Errorf("credential %d (%s): issuer and subject repeat another credential's; Entra keeps the pair unique", i+1, fic.Name)
		}
		pairs[pair] = true
		fics = append(fics, fic)
	}
	return fics, nil
}

// parseFIC reads one credential, flat (az, Graph) or with its fields under
// "properties" (the ARM resource), and validates it.
func parseFIC(raw json.RawMessage) (FIC, error) {
	var doc struct {
		FIC
		Properties *FIC `json:"properties"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return FIC{}, fmt.Errorf("not a federated identity credential: %w", err)
	}
	fic := doc.FIC
	if doc.Properties != nil {
		name := fic.Name
		fic = *doc.Properties
		if fic.Name == "" {
			fic.Name = name
		}
	}
	return fic, fic.validate()
}

// validate applies the rules Entra enforces when a credential is written.
func (f FIC) validate() error {
	if len(f.ClaimsMatchingExpression) > 0 && string(f.ClaimsMatchingExpression) != "null" {
		return errors.New("a flexible federated identity credential (claimsMatchingExpression, preview) is not judged: give a credential with an issuer and a subject")
	}
	switch {
	case f.Issuer == "":
		return errors.New("no issuer")
	case f.Subject == "":
		return errors.New("no subject")
	case len(f.Audiences) != 1:
		return fmt.Errorf("%d audiences: Federated identity credentials must have exactly one audience.", len(f.Audiences))
	}
	for _, fld := range []struct{ name, v string }{{"issuer", f.Issuer}, {"subject", f.Subject}, {"audience", f.Audiences[0]}} {
		if n := len([]rune(fld.v)); n > maxField {
			return fmt.Errorf("%s is %d characters: Entra allows at most %d", fld.name, n, maxField)
		}
		if strings.TrimSpace(fld.v) == "" {
			return fmt.Errorf("%s is blank", fld.name)
		}
	}
	if host := entraHost(f.Issuer); host != "" {
		return fmt.Errorf("issuer %q is Entra's own (%s): AADSTS700222, Entra-issued tokens cannot be federated", f.Issuer, host)
	}
	return nil
}

// entraHost returns the Entra host the issuer URL is on, or "".
func entraHost(issuer string) string {
	u, err := url.Parse(strings.TrimSpace(issuer))
	if err != nil {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	for _, e := range entraHosts {
		if h == e || strings.HasSuffix(h, "."+e) {
			return e
		}
	}
	return ""
}
