// Package vault is the vault-jwt relying party: HashiCorp Vault's JWT auth
// method with a role of role_type jwt (hashicorp/vault-plugin-auth-jwt),
// configured by what `vault read -format=json` prints for the mount's
// config and role. Its own checks are VLT-001..013; HashiCorp's validator
// (github.com/hashicorp/cap/jwt) runs in-process in the probe phase
// (harness/vaultauth) and VLT-012 reports its answer beside the VLT- rules.
package vault

import (
	"context"
	"fmt"
	"slices"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/vaultauth"
)

// Name is the relying party's name on the command line (--for).
const Name = "vault-jwt"

// Flags of the relying party's inputs.
const (
	// FlagConfig is `vault read -format=json auth/<mount>/config`.
	FlagConfig = "vault-config"
	// FlagRole is `vault read -format=json auth/<mount>/role/<name>`.
	FlagRole = "vault-role"
)

// shared are the shared checks that hold for Vault too: the discovery
// document served and parsed (cap reads it at config write), a TLS chain
// Go verifies, TLS 1.2 (Go's client minimum) and a certificate valid now
// (the in-process validator reads recorded documents, so it never sees
// the connection), a signature algorithm (TOK-012: cap verifies with the
// key set's public keys, so never none or HS*; VLT-002 judges
// jwt_supported_algs beyond it), and keys that stay published and agree
// across replicas. Vault enforces no https (VLT-013 judges the chain against its
// own CA), no kid, no key count, no maximum lifetime and not STS's
// algorithm list; the key set and the signature are cap's answer (VLT-012).
var shared = []string{"DISC-001", "DISC-004", "TLS-001", "TLS-002", "TLS-006", "TOK-012", "ROT-002", "ROT-004"}

// capRules are the VLT- checks of rules cap itself applies (the rest are
// the plugin's, after cap): its answer and these must agree.
var capRules = []string{"TOK-012", "VLT-001", "VLT-002", "VLT-003", "VLT-004", "VLT-006", "VLT-007", "VLT-008"}

// Party returns the vault-jwt relying party.
func Party() relyingparty.Party {
	return relyingparty.Party{
		Name:    Name,
		Title:   "HashiCorp Vault JWT auth (role_type jwt)",
		Profile: check.OIDC,
		Prefix:  "VLT-",
		Checks:  Checks,
		Reads:   shared,
		Needs:   []string{"VLT-002", "VLT-004", "VLT-005", "VLT-007", "VLT-008", "VLT-009", "VLT-012"},
		Inputs: []relyingparty.Input{
			{Flag: FlagConfig, File: true, Usage: "vault-jwt: the auth method's config as vault read -format=json auth/MOUNT/config prints it"},
			{Flag: FlagRole, File: true, Usage: "vault-jwt: the role as vault read -format=json auth/MOUNT/role/NAME prints it (role_type jwt)"},
		},
		Validate:   validate,
		Assumed:    assumed,
		Login:      login,
		Verifier:   Verify,
		Crosscheck: Crosscheck,
	}
}

// validate decodes and validates the inputs as Vault does on write.
func validate(in evidence.Input) error {
	_, _, _, err := setup(in)
	return err
}

// assumed says what a run without files assumed.
func assumed(t *evidence.Target) []string {
	_, _, a, _ := setup(t.Input)
	return a
}

// Verify runs cap's validator for the target's config and role on the raw
// token and the documents the probe fetched (jwks: the key set as served),
// and records its answer in t.Answers[Name]. It fetches nothing.
func Verify(ctx context.Context, t *evidence.Target, raw string, jwks []byte) {
	c, r, _, err := setup(t.Input)
	vaultauth.Record(ctx, t, Name, c, r, err, raw, jwks)
}

// login is the entity alias (user_claim) and groups Vault logs the token in as.
func login(t *evidence.Target) string {
	_, r, c, skip := judged(t)
	if skip != nil {
		return ""
	}
	user, err := r.User(c)
	if err != nil {
		return ""
	}
	s := fmt.Sprintf("entity alias %q", user)
	if g, err := r.Groups(c); err == nil && len(g) > 0 {
		s += fmt.Sprintf(", group aliases %q", g)
	}
	return s
}

// Crosscheck reports where cap's recorded answer and the checks' verdict
// disagree: cap accepts a token a rule cap applies rejects, or cap refuses
// a token the checks accept. Transport and time rules (TLS-, ROT-, VLT-013)
// and the plugin's own rules after cap are not a disagreement.
func Crosscheck(t *evidence.Target, row relyingparty.Row) string {
	a, ok := vaultauth.RecordedAnswer(t, Name)
	if !ok || a.Unjudged() {
		return ""
	}
	switch {
	case a.Accepted() && row.Verdict == relyingparty.Rejects:
		for _, id := range row.Blocking {
			if slices.Contains(capRules, id) {
				return fmt.Sprintf("cap/jwt accepts the token but %s rejects it: the harness and Vault disagree, a harness bug to report", id)
			}
		}
	case !a.Accepted() && row.Verdict == relyingparty.Accepts:
		return fmt.Sprintf("cap/jwt refuses the token (%s) but the checks accept it: the harness and Vault disagree, a harness bug to report", a.Error)
	}
	return ""
}
