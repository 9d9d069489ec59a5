package webidentity

import (
	"fmt"
	"net/http"
	"time"
)

// STS error codes Verify returns.
const (
	CodeInvalidIdentityToken  = "InvalidIdentityToken"
	CodeExpiredToken          = "ExpiredTokenException"
	CodeIDPCommunicationError = "IDPCommunicationError"
)

// Messages STS writes, verbatim (the double space is STS's).
const (
	MsgKeyNotRetrieved   = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
	MsgIncorrectAudience = "Incorrect token audience"
	msgNoProvider        = "No OpenIDConnect provider found in your account for "
	msgMissingClaim      = "Missing a required claim: "
)

// Error is an STS-style failure: what STS would answer for the token.
type Error struct {
	// Code is the STS error code, e.g. InvalidIdentityToken.
	Code string
	// Message is the message STS writes for the code.
	Message string
	// HTTPStatus is the status STS answers with (400 for every code here).
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

// invalid is an InvalidIdentityToken with the given message.
func invalid(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidIdentityToken, Message: fmt.Sprintf(format, args...), HTTPStatus: http.StatusBadRequest}
}

// KeyNotRetrieved is the InvalidIdentityToken STS answers when it cannot get
// the verification key (discovery or JWKS unreachable, malformed, slow, a TLS
// or thumbprint failure, or no key with the token's kid); cause says which.
func KeyNotRetrieved(cause error) *Error {
	return &Error{Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved, HTTPStatus: http.StatusBadRequest, Cause: cause}
}

// IDPCommunicationError is the error STS answers when the identity provider
// answered with an error status; message says what it answered.
func IDPCommunicationError(message string) *Error {
	return &Error{Code: CodeIDPCommunicationError, Message: message, HTTPStatus: http.StatusBadRequest}
}

// expired is STS's ExpiredTokenException for a token past exp and the
// expiry window (CheckExpiry).
func expired(now time.Time, exp int64) *Error {
	return &Error{
		Code: CodeExpiredToken,
		Message: fmt.Sprintf("Token expired: current date/time %d must be before the expiration date/time %d",
			now.Unix(), exp),
		HTTPStatus: http.StatusBadRequest,
	}
}
