package sigv4

import (
	"fmt"
	"net/http"
)

// Kind says which check a request failed. Several kinds share an STS code.
type Kind string

// Kinds of failure.
const (
	// KindMissing: no Authorization header.
	KindMissing Kind = "missing-authentication"
	// KindIncomplete: the Authorization header or X-Amz-Date is malformed
	// or lacks a part.
	KindIncomplete Kind = "incomplete-signature"
	// KindUnknownKey: the access key ID was never issued.
	KindUnknownKey Kind = "unknown-access-key"
	// KindSessionToken: X-Amz-Security-Token is missing or not the one issued.
	KindSessionToken Kind = "session-token"
	// KindExpiredCredentials: the credentials have expired.
	KindExpiredCredentials Kind = "expired-credentials"
	// KindClockSkew: X-Amz-Date is more than 15 minutes from the server's clock.
	KindClockSkew Kind = "clock-skew"
	// KindScope: the credential scope's date disagrees with X-Amz-Date, or
	// names another service.
	KindScope Kind = "credential-scope"
	// KindMismatch: the signature is not the one the secret key gives.
	KindMismatch Kind = "signature-mismatch"
)

// STS error codes for SigV4 failures.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationToken"
	CodeIncompleteSignature        = "IncompleteSignature"
	CodeInvalidClientTokenID       = "InvalidClientTokenId"
	CodeExpiredToken               = "ExpiredToken"
	CodeSignatureDoesNotMatch      = "SignatureDoesNotMatch"
)

// Messages STS writes.
const (
	msgMissing       = "Request is missing Authentication Token"
	msgInvalidToken  = "The security token included in the request is invalid."
	msgExpiredToken  = "The security token included in the request is expired"
	msgSignatureDiff = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// Error is a SigV4 failure, with what STS answers for it.
type Error struct {
	// Kind is the check that failed.
	Kind Kind
	// Code and Message are STS's; HTTPStatus is its status.
	Code, Message string
	HTTPStatus    int
}

// Error implements error: "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// fail builds an Error; the code and status follow from the kind.
func fail(kind Kind, format string, args ...any) *Error {
	e := &Error{Kind: kind, Message: fmt.Sprintf(format, args...), HTTPStatus: http.StatusForbidden}
	switch kind {
	case KindMissing:
		e.Code = CodeMissingAuthenticationToken
	case KindIncomplete:
		e.Code, e.HTTPStatus = CodeIncompleteSignature, http.StatusBadRequest
	case KindUnknownKey, KindSessionToken:
		e.Code = CodeInvalidClientTokenID
	case KindExpiredCredentials:
		e.Code = CodeExpiredToken
	default: // clock skew, scope and mismatch: STS says SignatureDoesNotMatch for all three
		e.Code = CodeSignatureDoesNotMatch
	}
	return e
}
