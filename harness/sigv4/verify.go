package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// MaxSkew is how far X-Amz-Date may be from the server's clock.
const MaxSkew = 15 * time.Minute

// amzDateFormat is the format of X-Amz-Date.
const amzDateFormat = "20060102T150405Z"

// Credentials are what the server issued for an access key ID.
type Credentials struct {
	SecretAccessKey string
	// SessionToken is the token X-Amz-Security-Token must carry; "" for
	// long-term keys, which must not send one.
	SessionToken string
	// Expires is when the credentials expire; zero for never.
	Expires time.Time
}

// Verify verifies the SigV4 signature of r, whose body (already read) is
// body, at time now. lookup returns the secret and session token issued for
// an access key ID, ok false when none was. Errors are *Error.
func Verify(r *http.Request, body []byte, lookup func(accessKeyID string) (secret, sessionToken string, ok bool), now time.Time) error {
	_, err := VerifyScope(r, body, func(id string) (Credentials, bool) {
		secret, token, ok := lookup(id)
		return Credentials{SecretAccessKey: secret, SessionToken: token}, ok
	}, now)
	return err
}

// VerifyScope is Verify for credentials that expire; it returns the
// request's credential scope so that the caller can check the service and
// region and find the caller's identity. Errors are *Error. The checks, in
// order: an Authorization header of the right shape; X-Amz-Date within
// MaxSkew of now; the scope's date equal to X-Amz-Date's; a known access
// key; X-Amz-Security-Token equal to the issued session token; credentials
// not expired; the signature equal to the one the SDK's signer computes over
// the signed headers alone.
func VerifyScope(r *http.Request, body []byte, lookup func(accessKeyID string) (Credentials, bool), now time.Time) (Scope, error) {
	auth, err := ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return Scope{}, err
	}
	signed, err := signingTime(r.Header.Get("X-Amz-Date"), now)
	if err != nil {
		return auth.Scope, err
	}
	if date := signed.Format("20060102"); auth.Scope.Date != date {
		return auth.Scope, fail(KindScope, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			auth.Scope.Date, date, signed.Format(amzDateFormat))
	}
	creds, ok := lookup(auth.Scope.AccessKeyID)
	if !ok {
		return auth.Scope, fail(KindUnknownKey, msgInvalidToken)
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Amz-Security-Token")), []byte(creds.SessionToken)) != 1 {
		return auth.Scope, fail(KindSessionToken, msgInvalidToken)
	}
	if !creds.Expires.IsZero() && !now.Before(creds.Expires) {
		return auth.Scope, fail(KindExpiredCredentials, msgExpiredToken)
	}
	want, err := resign(r, body, auth, creds, signed)
	if err != nil {
		return auth.Scope, fail(KindMismatch, "%s", msgSignatureDiff)
	}
	if !hmac.Equal([]byte(want), []byte(auth.Signature)) {
		return auth.Scope, fail(KindMismatch, "%s", msgSignatureDiff)
	}
	return auth.Scope, nil
}

// signingTime parses X-Amz-Date and checks it against the clock window.
func signingTime(header string, now time.Time) (time.Time, error) {
	if header == "" {
		return time.Time{}, fail(KindIncomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	t, err := time.Parse(amzDateFormat, header)
	if err != nil {
		return time.Time{}, fail(KindIncomplete, "X-Amz-Date must be in the ISO-8601 basic format 'YYYYMMDD'T'HHMMSS'Z', got '%s'.", clip(header, 32))
	}
	now = now.UTC()
	const f = amzDateFormat
	switch {
	case t.Before(now.Add(-MaxSkew)):
		return t, fail(KindClockSkew, "Signature expired: %s is now earlier than %s (%s - 15 min.)",
			t.Format(f), now.Add(-MaxSkew).Format(f), now.Format(f))
	case t.After(now.Add(MaxSkew)):
		return t, fail(KindClockSkew, "Signature not yet current: %s is still later than %s (%s + 15 min.)",
			t.Format(f), now.Add(MaxSkew).Format(f), now.Format(f))
	}
	return t, nil
}

// resign signs a copy of r holding only its signed headers with the SDK's
// signer and returns the signature it computes.
func resign(r *http.Request, body []byte, auth *Authorization, creds Credentials, at time.Time) (string, error) {
	u := *r.URL
	u.Scheme, u.Host = "https", r.Host
	cp := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: http.Header{}}
	for _, h := range auth.SignedHeaders {
		switch h {
		case "host":
		case "content-length":
			cp.ContentLength = int64(len(body))
		default:
			if values := r.Header.Values(h); len(values) > 0 {
				cp.Header[http.CanonicalHeaderKey(h)] = append([]string(nil), values...)
			}
		}
	}
	sum := sha256.Sum256(body)
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{
		AccessKeyID:     auth.Scope.AccessKeyID,
		SecretAccessKey: creds.SecretAccessKey,
		SessionToken:    creds.SessionToken,
	}, cp, hex.EncodeToString(sum[:]), auth.Scope.Service, auth.Scope.Region, at)
	if err != nil {
		return "", fmt.Errorf("re-sign: %w", err)
	}
	got, err := ParseAuthorization(cp.Header.Get("Authorization"))
	if err != nil {
		return "", fmt.Errorf("re-sign: %w", err)
	}
	if strings.Join(got.SignedHeaders, ";") != strings.Join(auth.SignedHeaders, ";") {
		return "", fmt.Errorf("re-sign: signed headers %q, the request's %q",
			strings.Join(got.SignedHeaders, ";"), strings.Join(auth.SignedHeaders, ";"))
	}
	return got.Signature, nil
}
