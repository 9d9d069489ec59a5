// Package azure is the azure-wif relying party: Microsoft Entra ID workload
// identity federation, a federated identity credential (FIC) on an app
// registration or a user-assigned managed identity that trusts the issuer's
// tokens. Entra publishes no verifier code: its rules are its documentation
// and the AADSTS answers users quote (../shared/VERIFIERS.md §2); each check
// names the AADSTS code Entra would answer. Checks AZR-001..010.
package azure

import (
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Name is the relying party's name on the command line (--for).
const Name = "azure-wif"

// FlagFIC is the federated identity credential file.
const FlagFIC = "azure-fic"

// shared are the shared checks Entra enforces too: discovery served as a
// JSON object (without it, "Request to External OIDC endpoint failed",
// AADSTS90061/50166), its TLS chain and certificate (an https fetch that does
// not verify fails the same way), a key set with keys, a signature
// algorithm (TOK-012: Entra verifies with the set's public keys, so never
// none or HS*), a signature that verifies, and keys that stay published
// and agree across replicas. Not read: STS's algorithm list (TOK-002), kid
// rule (TOK-003), key count (JWKS-010), redirect rule (JWKS-001), length
// limit (TOK-013) and time
// rules (TOK-008..010), whose Entra counterparts are AZR- checks or
// unknown.
var shared = []string{"DISC-001", "DISC-004", "TLS-001", "TLS-006", "JWKS-002", "TOK-012", "TOK-004", "ROT-002", "ROT-004"}

// Party returns the azure-wif relying party.
func Party() relyingparty.Party {
	return relyingparty.Party{
		Name:    Name,
		Title:   "Microsoft Entra ID workload identity federation (federated identity credential)",
		Profile: check.OIDC,
		Prefix:  "AZR-",
		Checks:  Checks,
		Reads:   shared,
		Needs:   []string{"AZR-001", "AZR-002", "AZR-003", "AZR-004", "AZR-005", "AZR-006", "AZR-007", "TOK-004"},
		// The rules Entra documents without saying what it does: their
		// warnings make the verdict unknown, never a refusal.
		// DISC-002 warns on a redirected discovery, which Entra may or may
		// not follow.
		Doubts: []string{"AZR-003", "AZR-004", "AZR-005", "AZR-006", "AZR-007", "AZR-009", "AZR-010", "DISC-002"},
		Inputs: []relyingparty.Input{
			{Flag: FlagFIC, File: true, Usage: "azure-wif: the federated identity credential(s) as az identity federated-credential show/list or az ad app federated-credential show/list prints (JSON)"},
		},
		Validate: func(in evidence.Input) error { _, err := credentialsOf(in, ""); return err },
		Assumed: func(t *evidence.Target) []string {
			c, _ := credentialsOf(t.Input, "")
			return c.Assumed
		},
		Login: login,
	}
}

// login names the credential the token matches, the identity it obtains an
// Entra token for.
func login(t *evidence.Target) string {
	c, claims, skip := judged(t)
	if skip != nil {
		return ""
	}
	iss, _ := claims.String("iss")
	sub, _ := claims.String("sub")
	f, ok := bySubject(byIssuer(c.FICs, iss), sub)
	if !ok || f.Name == "assumed" {
		return ""
	}
	return fmt.Sprintf("the app registration or managed identity of federated identity credential %s", f.Name)
}

// judged is what every token rule starts from: the credentials and the
// token's claims, or the finding that ends the judgement early.
func judged(t *evidence.Target) (Credentials, kubeuser.Claims, *check.Finding) {
	if t.Token == nil {
		f := check.Skip("no token given")
		return Credentials{}, nil, &f
	}
	claims, err := kubeuser.ParseClaims(t.Token.Claims)
	if err != nil {
		f := check.Skip("the claims did not decode (see TOK-001): Entra answers AADSTS50027 \"JWT token is invalid or malformed\"")
		return Credentials{}, nil, &f
	}
	sub, _ := claims.String("sub")
	c, err := credentialsOf(t.Input, sub)
	if err != nil {
		f := check.Skip("no federated identity credential: %v", err)
		return c, nil, &f
	}
	return c, claims, nil
}
