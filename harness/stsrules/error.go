package stsrules

import (
	"errors"
	"fmt"
	"time"
)

// Error is STS's answer when a rule fails: the typed result of the model.
// Its Rule says which rule refused, and so which check judges it.
type Error struct {
	// Rule is the rule that refused.
	Rule RuleID
	// Code is the STS error code, e.g. InvalidIdentityToken.
	Code string
	// Message is the message STS writes for the code.
	Message string
	// HTTPStatus is the status STS answers with.
	HTTPStatus int
	// Cause says why, for diagnosis (the harness, explain); STS does not
	// send it and neither does the mock. It never contains the token.
	Cause error
}

// Error implements error: "Code: Message", then the cause if any.
func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Cause != nil {
		s += " (" + e.Cause.Error() + ")"
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// Check returns the catalog ID of the check that judges the refusing rule.
func (e *Error) Check() string { return rule(e.Rule).Check }

// Reason is the message followed by the cause, for a finding.
func (e *Error) Reason() string {
	if e.Cause != nil && e.Cause.Error() != e.Message {
		return e.Message + ": " + e.Cause.Error()
	}
	return e.Message
}

// refuse is rule id's answer with STS's fixed message for it, or message
// when the rule has none (or only a fixed start), and a cause.
func refuse(id RuleID, message string, cause error) *Error {
	r := rule(id)
	m := r.Message
	if m == "" || r.Prefix {
		m = message
	}
	return &Error{Rule: id, Code: r.Code, Message: m, HTTPStatus: r.HTTPStatus, Cause: cause}
}

// refusef is refuse with a formatted message and no cause.
func refusef(id RuleID, format string, args ...any) *Error {
	return refuse(id, fmt.Sprintf(format, args...), nil)
}

// KeyNotRetrieved is STS's "Couldn't retrieve verification key" for rule id
// (a discovery, JWKS, TLS or kid failure); cause says which.
func KeyNotRetrieved(id RuleID, cause error) *Error {
	return refuse(id, MsgKeyNotRetrieved, cause)
}

// IDPCommunicationError is the error STS answers when the identity provider
// answered with an error status (rule RuleDiscoveryError or RuleJWKSError);
// message says what it answered.
func IDPCommunicationError(id RuleID, message string) *Error {
	return refuse(id, message, nil)
}

// Refuse is rule id's answer with a message of its own where STS's is not
// fixed, for callers outside the package that apply a rule (the mock's
// thumbprint and trust policy).
func Refuse(id RuleID, message string, cause error) *Error { return refuse(id, message, cause) }

// expired is STS's ExpiredTokenException for a token whose exp is not after now.
func expired(now time.Time, exp int64) *Error {
	return refusef(RuleExpired, "%scurrent date/time %d must be before the expiration date/time %d", msgExpired, now.Unix(), exp)
}

// AsError returns err as the model's *Error: itself, or a refusal of rule
// fallback carrying it as the cause.
func AsError(err error, fallback RuleID) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return KeyNotRetrieved(fallback, err)
}
