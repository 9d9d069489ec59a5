package suites

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/suites/azure"
	"github.com/oidc-conformance/oidc-conformance/suites/eks"
	"github.com/oidc-conformance/oidc-conformance/suites/gcp"
	"github.com/oidc-conformance/oidc-conformance/suites/kubernetes"
	"github.com/oidc-conformance/oidc-conformance/suites/vault"
)

// RelyingParties is every relying party the acceptance matrix knows, in
// the order it lists them. Adding one is a package returning a
// relyingparty.Party and one line here.
func RelyingParties() relyingparty.Registry {
	return relyingparty.Registry{
		awsSTS(),
		eks.Party(),
		kubernetes.Party(),
		gcp.Party(),
		azure.Party(),
		vault.Party(),
		genericOIDC(),
	}
}

// DefaultRelyingParty is what --for asks for when it is not given.
const DefaultRelyingParty = "aws-sts"

// tokenRules are the checks a verdict on a token needs judged.
var tokenRules = []string{"TOK-001", "TOK-013", "TOK-012", "TOK-002", "TOK-003", "TOK-004", "TOK-005", "TOK-006", "TOK-007", "TOK-008", "TOK-009"}

// awsSTS is AWS STS AssumeRoleWithWebIdentity: every check of the aws
// profile, the IAM registration and trust policy and the STS exchange
// included. JWKS-010 (IAM's documented key count) is a doubt: what STS does
// at exchange time with a set over it is observed, unconfirmed.
func awsSTS() relyingparty.Party {
	return relyingparty.Party{
		Name: DefaultRelyingParty, Title: "AWS STS AssumeRoleWithWebIdentity (IAM OIDC provider, IRSA)",
		Profile: check.AWS, Needs: tokenRules, Doubts: []string{"JWKS-010", "TOK-003", "TOK-007", "IAM-005"},
		Assumed: func(t *evidence.Target) []string {
			var out []string
			if t.IAM == nil || t.IAM.ProviderURL == "" {
				out = append(out, "IAM provider: assumed registered for this issuer with the token's audience as client ID (no --iam-provider)")
			}
			if t.IAM == nil || len(t.IAM.TrustPolicy) == 0 {
				out = append(out, "trust policy: assumed to allow this token (no --trust-policy)")
			}
			if t.STS == nil {
				out = append(out, "STS not called (no --role-arn): the verdict is the harness's model of STS")
			}
			return out
		},
	}
}

// genericOIDC is a relying party that follows OpenID Connect Discovery and
// Core and nothing else: every check of the oidc profile. Its algorithm
// rule is TOK-012 (a signature algorithm, not none, not HS*: PS256 and
// EdDSA pass); TOK-002, STS's list, is of the aws profile alone.
func genericOIDC() relyingparty.Party {
	return relyingparty.Party{
		Name: string(check.OIDC), Title: "a generic OpenID Connect relying party (Discovery 1.0, Core 1.0)",
		Profile: check.OIDC, Needs: []string{"TOK-012", "TOK-004", "TOK-005", "TOK-009"},
	}
}

// CatalogFor returns the checks a run for parties judges: every shared
// check and the own checks of the parties asked for.
func CatalogFor(parties relyingparty.Registry) check.Catalog {
	all := RelyingParties()
	return all.Only(all.Catalog(Catalog()), parties)
}

// FullCatalog is every check, the relying parties' own included (list, docs).
func FullCatalog() check.Catalog { return RelyingParties().Catalog(Catalog()) }
