package token

import (
	"encoding/json"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// ConditionValues returns the values a token's claims give IAM's web
// identity condition keys, keyed "aud", "sub", "amr", "azp" and the
// provider-specific claims STS fills for the token's iss
// (trust.ConditionClaims), as trust.Request.Claims wants them: a string
// claim is one value, a list of strings its values; an absent claim, null or
// another type is left out. ok is false
// when the token has no decoded claims.
func ConditionValues(t *evidence.Token) (values map[string][]string, ok bool) {
	if t == nil || len(t.Claims) == 0 {
		return nil, false
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(t.Claims, &raw); err != nil {
		return nil, false
	}
	return conditionValuesOf(raw), true
}

// conditionValuesOf is ConditionValues over claims already decoded.
func conditionValuesOf(raw map[string]json.RawMessage) map[string][]string {
	return addClaims(map[string][]string{}, raw, trust.ConditionClaims(issuerOf(raw)))
}

// issuerOf is the claims' iss, "" when it is not a string.
func issuerOf(raw map[string]json.RawMessage) string {
	if s, ok := stsrules.JSONString(raw["iss"]); ok {
		return s
	}
	var iss string
	_ = json.Unmarshal(raw["iss"], &iss)
	return iss
}

// addClaims adds to values the values of the claims names (a string is one
// value, a list of strings its values; absent, null or another type left
// out) that values lacks.
func addClaims(values map[string][]string, raw map[string]json.RawMessage, names []string) map[string][]string {
	for _, name := range names {
		if _, known := values[name]; known {
			continue
		}
		v, present := raw[name]
		if !present {
			continue
		}
		if one, ok := stsrules.JSONString(v); ok {
			values[name] = []string{one}
			continue
		}
		var one string
		var list []string
		switch {
		case json.Unmarshal(v, &one) == nil && string(v) != "null":
			values[name] = []string{one}
		case json.Unmarshal(v, &list) == nil && list != nil:
			values[name] = list
		}
	}
	return values
}

// WithProviderClaims adds to values (a verified identity's aud, sub, amr and
// azp) the token's provider-specific condition-key values that values lacks
// (ConditionValues): what the mock STS and explain evaluate a trust policy
// against, as STS does since February 2026.
func WithProviderClaims(values map[string][]string, t *evidence.Token) map[string][]string {
	all, ok := ConditionValues(t)
	if !ok {
		return values
	}
	return merge(values, all)
}

// WithProviderClaimsOf is WithProviderClaims over the claims a verified
// identity carries (stsrules.Identity.Claims), without decoding them again.
func WithProviderClaimsOf(values map[string][]string, claims map[string]json.RawMessage) map[string][]string {
	if claims == nil {
		return values
	}
	return addClaims(values, claims, trust.ConditionClaims(issuerOf(claims)))
}

// WithClaimsNamed is WithProviderClaimsOf for a caller that already holds
// trust.ConditionClaims of the claims' iss (the mock STS, per provider):
// names is that list, shared and only read.
func WithClaimsNamed(values map[string][]string, claims map[string]json.RawMessage, names []string) map[string][]string {
	if claims == nil {
		return values
	}
	return addClaims(values, claims, names)
}

// merge adds to values the entries of all whose keys values lacks.
func merge(values, all map[string][]string) map[string][]string {
	for k, v := range all {
		if _, known := values[k]; !known {
			values[k] = v
		}
	}
	return values
}
