package stsrules

import (
	"fmt"
	"time"
)

// FutureSkew is how far iat and nbf may lie in the future.
const FutureSkew = 60 * time.Second

// millisecondsAbove: a NumericDate above 1e11 (the year 5138 in seconds) is
// taken to be in milliseconds.
const millisecondsAbove = 100_000_000_000

// DateCaveat is the warning for a NumericDate STS takes as seconds but that
// is plainly milliseconds: STS reads it as a date thousands of years ahead.
func DateCaveat(name string, v int64) string {
	if v > millisecondsAbove {
		return fmt.Sprintf("%s is %d, which is in milliseconds (want seconds since the epoch: %d); STS reads it as seconds, "+
			"a date thousands of years ahead", name, v, v/1000)
	}
	return ""
}

// Times are a token's exp, iat and nbf (zero when absent).
type Times struct {
	IssuedAt, Expires, NotBefore time.Time
}

// ReadTimes is RuleNumericDate: exp and iat present, exp, iat and nbf JSON
// integers, in that order.
func (c Claims) ReadTimes() (Times, *Error) {
	var t Times
	for _, d := range []struct {
		name     string
		required bool
		dst      *time.Time
	}{{"exp", true, &t.Expires}, {"iat", true, &t.IssuedAt}, {"nbf", false, &t.NotBefore}} {
		v, present, err := c.Date(d.name)
		switch {
		case err != nil:
			return t, err
		case !present && d.required:
			return t, refuse(RuleNumericDate, msgMissingClaim+d.name, nil)
		case present:
			*d.dst = time.Unix(v, 0)
		}
	}
	return t, nil
}

// CheckExpiry is RuleExpired: now is before exp plus IAM's ExpiryWindow
// (ExpiryAt).
func (t Times) CheckExpiry(now time.Time) *Error {
	if !t.Expires.IsZero() && ExpiryAt(t.Expires, now).Expired {
		return expired(now, t.Expires.Unix())
	}
	return nil
}

// CheckNotBefore is RuleNotYetValid: iat and nbf at most FutureSkew ahead.
func (t Times) CheckNotBefore(now time.Time) *Error {
	if !t.IssuedAt.IsZero() && t.IssuedAt.After(now.Add(FutureSkew)) {
		return refusef(RuleNotYetValid, "The token was issued in the future: iat %d is after the current date/time %d", t.IssuedAt.Unix(), now.Unix())
	}
	if !t.NotBefore.IsZero() && t.NotBefore.After(now.Add(FutureSkew)) {
		return refusef(RuleNotYetValid, "The token is not valid yet: nbf %d is after the current date/time %d", t.NotBefore.Unix(), now.Unix())
	}
	return nil
}
