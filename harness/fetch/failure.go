package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// failure is an error of a known kind, made where the kind is certain (a
// body over the cap, too many redirects).
type failure struct {
	kind evidence.FailureKind
	msg  string
}

func (f *failure) Error() string { return f.msg }

// failf is a failure of kind with message msg.
func failf(kind evidence.FailureKind, msg string) error { return &failure{kind: kind, msg: msg} }

// kindOf classifies the error of a Get whose context is ctx. A deadline is
// a timeout whichever of the client's several timers fired first (the
// request's, the response headers', the dial's or the caller's), so the
// kind does not depend on which of equal timeouts won the race.
func kindOf(ctx context.Context, err error) evidence.FailureKind {
	var (
		f       *failure
		dnsErr  *net.DNSError
		netErr  net.Error
		recErr  tls.RecordHeaderError
		alert   tls.AlertError
		certErr *tls.CertificateVerificationError
		unknown x509.UnknownAuthorityError
	)
	switch {
	case errors.As(err, &f):
		return f.kind
	case errors.Is(err, context.DeadlineExceeded), errors.Is(ctx.Err(), context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return evidence.FailTimeout
	case errors.As(err, &dnsErr):
		return evidence.FailDNS
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return evidence.FailRefused
	case errors.As(err, &recErr), errors.As(err, &alert), errors.As(err, &certErr), errors.As(err, &unknown):
		return evidence.FailTLS
	}
	return evidence.FailNetwork
}
