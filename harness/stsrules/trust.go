package stsrules

import "errors"

// TrustRefusal is STS's AccessDenied for a trust policy that does not allow
// the token (a trust.Decision that is not Allowed): RuleTrustPrincipal when
// no statement applies to the provider and action (statement < 0),
// RuleTrustConditions when one does but its conditions fail or a Deny
// matches. reason, the decision's, is the cause.
func TrustRefusal(statement int, reason string) *Error {
	id := RuleTrustConditions
	if statement < 0 {
		id = RuleTrustPrincipal
	}
	return refuse(id, "", errors.New(reason))
}
