package suites_test

import (
	"slices"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
	"github.com/oidc-conformance/oidc-conformance/harness/vaultauth"
	"github.com/oidc-conformance/oidc-conformance/suites/vault"
)

// vaultFound are the VLT- checks each defect fails or warns (see ownFound).
var vaultFound = map[string][]string{
	"pod-identity-token":                 {"VLT-004"},
	"groups-number":                      {"VLT-010"},
	"issuer-trailing-slash":              {"VLT-001"},
	"jwks-empty":                         {"VLT-012"},
	"jwks-padded-base64url":              {"VLT-012"},
	"jwks-standard-base64":               {"VLT-012"},
	"private-key-published":              {"VLT-012"},
	"required-claim-absent":              {"VLT-011"},
	"signing-key-unpublished":            {"VLT-012"},
	"token-bad-signature":                {"VLT-012"},
	"token-expired":                      {"VLT-008"},
	"token-expired-2m":                   {"VLT-008"},
	"token-expired-6m":                   {"VLT-008"},
	"token-iat-future":                   {"VLT-008"},
	"token-iat-string":                   {"VLT-008"},
	"token-nbf-future":                   {"VLT-008"},
	"token-no-aud":                       {"VLT-004"},
	"token-no-signature":                 {"VLT-012"},
	"token-no-sub":                       {"VLT-009"},
	"token-no-time-claims":               {"VLT-007"},
	"token-unknown-kid":                  {"VLT-012"},
	"token-wrong-aud":                    {"VLT-004"},
	"username-claim-missing":             {"VLT-009"},
	"vault-algs-exclude-rs256":           {"VLT-002"},
	"vault-bound-claims-glob-mismatch":   {"VLT-011"},
	"vault-bound-issuer-mismatch":        {"VLT-003"},
	"vault-bound-subject-mismatch":       {"VLT-006"},
	"vault-discovery-url-trailing-slash": {"VLT-001"},
	"vault-no-bound-audiences":           {"VLT-005"},
	"vault-other-ca":                     {"VLT-013"},
	"x5c-other-key":                      {"VLT-012"},
}

// vaultRows are the vault-jwt rows (see wantRows).
var vaultRows = map[string]string{
	"cache-outlives-overlap":             "accepts []",
	"enc-key":                            "accepts []",
	"gcp-audience-not-allowed":           "accepts []",
	"gcp-condition-refuses":              "accepts []",
	"gcp-issuer-uri-http":                "accepts []",
	"gcp-issuer-uri-other":               "accepts []",
	"gcp-jwks-json-extra-member":         "accepts []",
	"gcp-jwks-json-other-key":            "accepts []",
	"gcp-provider-disabled":              "accepts []",
	"gcp-subject-too-long":               "accepts []",
	"key-without-use":                    "accepts []",
	"token-es384":                        "accepts []",
	"token-kid-empty":                    "accepts []",
	"token-long-sub":                     "accepts []",
	"token-sub-multibyte":                "accepts []",
	"token-too-long":                     "accepts []",
	"azure-audience-default":             "accepts []",
	"azure-issuer-case":                  "accepts []",
	"azure-issuer-trailing-slash":        "accepts []",
	"azure-key-beyond-100":               "accepts []",
	"azure-subject-case":                 "accepts []",
	"azure-subject-wildcard":             "accepts []",
	"discovery-redirect":                 "accepts []",
	"duplicate-kid":                      "accepts []",
	"duplicate-kid-second-signs":         "accepts []",
	"jwks-redirect":                      "accepts []",
	"keys-60-rsa-60-ec":                  "accepts []",
	"pod-identity-token":                 "rejects [VLT-004]",
	"token-exp-float":                    "accepts []",
	"token-exp-milliseconds":             "accepts []",
	"token-lifetime-30h":                 "accepts []",
	"token-long-lifetime":                "accepts []",
	"token-multiple-aud-azp":             "accepts []",
	"token-no-kid":                       "accepts []",
	"too-many-keys":                      "accepts []",
	"":                                   "accepts []",
	"cel-rule-refuses":                   "accepts []",
	"discovery-404":                      "rejects [DISC-001]",
	"discovery-truncated-json":           "rejects [DISC-004]",
	"eks-issuer-query":                   "accepts []",
	"eks-system-prefix":                  "accepts []",
	"eks-wrong-client-id":                "accepts []",
	"email-unverified":                   "accepts []",
	"expired-cert":                       "rejects [TLS-006]",
	"groups-number":                      "rejects [VLT-010]",
	"issuer-trailing-slash":              "rejects [VLT-001]",
	"jwks-empty":                         "rejects [VLT-012]",
	"jwks-padded-base64url":              "rejects [VLT-012]",
	"jwks-standard-base64":               "rejects [VLT-012]",
	"jwks-uri-http":                      "unknown []",
	"k8s-url-trailing-slash":             "accepts []",
	"private-key-published":              "rejects [VLT-012]",
	"required-claim-absent":              "rejects [VLT-011]",
	"rotate-without-overlap":             "rejects [ROT-002]",
	"signing-key-unpublished":            "rejects [VLT-012]",
	"split-replicas":                     "rejects [ROT-004]",
	"tls11-only":                         "rejects [TLS-002]",
	"token-alg-none":                     "rejects [TOK-012]",
	"token-bad-signature":                "rejects [VLT-012]",
	"token-expired":                      "rejects [VLT-008]",
	"token-expired-2m":                   "rejects [VLT-008]",
	"token-expired-6m":                   "rejects [VLT-008]",
	"token-hs256-public-key":             "rejects [TOK-012]",
	"token-iat-future":                   "rejects [VLT-008]",
	"token-iat-string":                   "rejects [VLT-008]",
	"token-iss-trailing-slash":           "accepts []",
	"token-jwe":                          "rejects [TOK-012]",
	"token-nbf-future":                   "rejects [VLT-008]",
	"token-no-aud":                       "rejects [VLT-004]",
	"token-no-exp":                       "accepts []",
	"token-no-signature":                 "rejects [VLT-012]",
	"token-no-sub":                       "rejects [VLT-009]",
	"token-no-time-claims":               "rejects [VLT-007]",
	"token-ps256":                        "accepts []",
	"token-unknown-kid":                  "rejects [VLT-012]",
	"token-wrong-aud":                    "rejects [VLT-004]",
	"username-claim-missing":             "rejects [VLT-009]",
	"vault-algs-exclude-rs256":           "rejects [VLT-002]",
	"vault-bound-claims-glob-mismatch":   "rejects [VLT-011]",
	"vault-bound-issuer-mismatch":        "rejects [VLT-003]",
	"vault-bound-subject-mismatch":       "rejects [VLT-006]",
	"vault-discovery-url-trailing-slash": "rejects [VLT-001]",
	"vault-no-bound-audiences":           "rejects [VLT-005]",
	"vault-other-ca":                     "rejects [VLT-013]",
	"wrong-name-cert":                    "rejects [TLS-001]",
	"x5c-other-key":                      "rejects [VLT-012]",
	"token-eddsa":                        "accepts []",
}

// vaultCapRules are the VLT- rules cap/jwt applies itself (the plugin
// applies the others after cap): where one of them alone refuses, cap
// must refuse too.
var vaultCapRules = []string{"TOK-012", "VLT-001", "VLT-002", "VLT-003", "VLT-004", "VLT-006", "VLT-007", "VLT-008"}

// assertVaultAgrees: cap/jwt run in-process, as the plugin builds it, and
// the verdict of the vault-jwt row agree: cap refuses whenever a rule it
// applies refuses, and the row never accepts a token cap refuses; where
// cap could not be run to an answer (a document the probe did not fetch)
// the row is not an acceptance.
func assertVaultAgrees(t *testing.T, tg *evidence.Target, rows []relyingparty.Row) {
	t.Helper()
	for _, r := range rows {
		if r.RelyingParty != vault.Name {
			continue
		}
		a, ok := vaultauth.RecordedAnswer(tg, r.RelyingParty)
		if !ok {
			t.Fatalf("%s: cap/jwt did not run", r.RelyingParty)
		}
		capRefuses := false
		for _, id := range r.Blocking {
			capRefuses = capRefuses || slices.Contains(vaultCapRules, id)
		}
		switch {
		case a.Unjudged():
			if r.Verdict == relyingparty.Accepts {
				t.Errorf("%s: cap/jwt was not run to an answer (%s), yet the row accepts", r.RelyingParty, a.Error)
			}
		case a.Accepted() && capRefuses:
			t.Errorf("%s: cap/jwt accepts, the checks reject %v on a rule cap applies", r.RelyingParty, r.Blocking)
		case !a.Accepted() && r.Verdict == relyingparty.Accepts:
			t.Errorf("%s: cap/jwt refuses (%s), the checks accept", r.RelyingParty, a.Error)
		}
	}
}
