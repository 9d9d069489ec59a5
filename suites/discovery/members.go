package discovery

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/spelling"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// STSAlgorithms are the signing algorithms STS accepts (RS256 alone before
// 2024-11-20): the STS rules' list.
var STSAlgorithms = stsrules.Algorithms

func requiredList(name string) check.Judge {
	return withDocument(func(_ *evidence.Target, doc map[string]json.RawMessage) check.Finding {
		vals, present, err := stringsMember(doc, name)
		switch {
		case !present:
			return check.Failf("%s is missing (OpenID Connect Discovery 1.0 §3: REQUIRED)", name)
		case err != nil:
			return check.Failf("%v", err)
		case len(vals) == 0:
			return check.Failf("%s is empty", name)
		}
		return check.Pass("%s %s", name, strings.Join(vals, ", "))
	})
}

func judgeAlgorithms(t *evidence.Target, doc map[string]json.RawMessage) check.Finding {
	const name = "id_token_signing_alg_values_supported"
	algs, present, err := stringsMember(doc, name)
	switch {
	case !present:
		return check.Failf("%s is missing", name)
	case err != nil:
		return check.Failf("%v", err)
	case slices.ContainsFunc(algs, func(a string) bool { return strings.EqualFold(a, "none") }):
		return check.Failf("%s lists \"none\": unsigned tokens must never be accepted", name)
	}
	usable := algs
	if t.Input.Profile == string(check.AWS) {
		usable = nil
		for _, a := range algs {
			if slices.Contains(STSAlgorithms, a) {
				usable = append(usable, a)
			}
		}
		if len(usable) == 0 {
			return check.Failf("%s is [%s]: none of them is one STS accepts (%s)", name, strings.Join(algs, ", "), strings.Join(STSAlgorithms, ", "))
		}
	}
	if len(usable) == 0 {
		return check.Failf("%s is empty", name)
	}
	return check.Pass("%s", strings.Join(algs, ", "))
}

// knownMembers are the members of OpenID Connect Discovery 1.0 §3, RFC 8414
// §2 and the IANA "OAuth Authorization Server Metadata" registry; DISC-013
// lists anything else, and warns on a near miss of one of these.
var knownMembers = slices.Concat(
	// OpenID Connect Discovery 1.0 §3.
	[]string{"issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
		"registration_endpoint", "scopes_supported", "response_types_supported", "response_modes_supported",
		"grant_types_supported", "acr_values_supported", "subject_types_supported",
		"id_token_signing_alg_values_supported", "id_token_encryption_alg_values_supported",
		"id_token_encryption_enc_values_supported", "userinfo_signing_alg_values_supported",
		"userinfo_encryption_alg_values_supported", "userinfo_encryption_enc_values_supported",
		"request_object_signing_alg_values_supported", "request_object_encryption_alg_values_supported",
		"request_object_encryption_enc_values_supported", "token_endpoint_auth_methods_supported",
		"token_endpoint_auth_signing_alg_values_supported", "display_values_supported", "claim_types_supported",
		"claims_supported", "service_documentation", "claims_locales_supported", "ui_locales_supported",
		"claims_parameter_supported", "request_parameter_supported", "request_uri_parameter_supported",
		"require_request_uri_registration", "op_policy_uri", "op_tos_uri"},
	// RFC 8414 §2 and §2.1 (those not in Discovery).
	[]string{"revocation_endpoint", "revocation_endpoint_auth_methods_supported",
		"revocation_endpoint_auth_signing_alg_values_supported", "introspection_endpoint",
		"introspection_endpoint_auth_methods_supported", "introspection_endpoint_auth_signing_alg_values_supported",
		"code_challenge_methods_supported", "signed_metadata"},
	// The registry: session management, logout, device flow (RFC 8628), mTLS
	// (RFC 8705), PAR (RFC 9126), JAR (RFC 9101), iss (RFC 9207), DPoP
	// (RFC 9449), RAR (RFC 9396), JWT introspection (RFC 9701), JARM, CIBA,
	// prompt=create, grant management, identity assurance and federation.
	[]string{"check_session_iframe", "end_session_endpoint", "frontchannel_logout_supported",
		"frontchannel_logout_session_supported", "backchannel_logout_supported", "backchannel_logout_session_supported",
		"device_authorization_endpoint", "tls_client_certificate_bound_access_tokens", "mtls_endpoint_aliases",
		"pushed_authorization_request_endpoint", "require_pushed_authorization_requests",
		"require_signed_request_object", "authorization_response_iss_parameter_supported",
		"dpop_signing_alg_values_supported", "authorization_details_types_supported",
		"introspection_signing_alg_values_supported", "introspection_encryption_alg_values_supported",
		"introspection_encryption_enc_values_supported", "authorization_signing_alg_values_supported",
		"authorization_encryption_alg_values_supported", "authorization_encryption_enc_values_supported",
		"backchannel_token_delivery_modes_supported", "backchannel_authentication_endpoint",
		"backchannel_authentication_request_signing_alg_values_supported", "backchannel_user_code_parameter_supported",
		"prompt_values_supported", "grant_management_actions_supported", "grant_management_endpoint",
		"grant_management_action_required", "verified_claims_supported", "trust_frameworks_supported",
		"evidence_supported", "documents_supported", "documents_methods_supported",
		"documents_validation_methods_supported", "documents_verification_methods_supported",
		"id_documents_supported", "id_documents_verification_methods_supported", "electronic_records_supported",
		"claims_in_verified_claims_supported", "attachments_supported", "digest_algorithms_supported",
		"client_registration_types_supported", "federation_registration_endpoint",
		"request_authentication_methods_supported", "request_authentication_signing_alg_values_supported",
		"organization_name", "jwks", "signed_jwks_uri", "pre-authorized_grant_anonymous_access_supported",
		"authorization_challenge_endpoint"},
)

func judgeMembers(_ *evidence.Target, doc map[string]json.RawMessage) check.Finding {
	var unknown, suspicious []string
	for name := range doc {
		if slices.Contains(knownMembers, name) {
			continue
		}
		unknown = append(unknown, name)
		if near := nearMiss(name); near != "" {
			suspicious = append(suspicious, fmt.Sprintf("%q (did you mean %q?)", name, near))
		}
	}
	sort.Strings(unknown)
	sort.Strings(suspicious)
	switch {
	case len(suspicious) > 0:
		return check.Warnf("members that look like misspelled standard members: %s", strings.Join(suspicious, ", "))
	case len(unknown) > 0:
		return check.Pass("unusual members (not an error): %s", strings.Join(unknown, ", "))
	}
	return check.Pass("%d members, all standard", len(doc))
}

// nearMiss returns the standard member that name is one or two edits away
// from, or "".
func nearMiss(name string) string {
	for _, k := range knownMembers {
		if d := spelling.Distance(strings.ToLower(name), k); d > 0 && d <= 2 && len(k) > 6 {
			return k
		}
	}
	return ""
}
