package claims

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// Time rules.
const (
	// Skew is the clock skew allowed for iat and nbf (the model's; exp has none).
	Skew = stsrules.FutureSkew
	// DefaultMaxLifetime is the longest lifetime accepted when none is given
	// (EKS issues tokens for 86400 s).
	DefaultMaxLifetime = 24 * time.Hour
)

// dates are the NumericDate claims and whether STS requires them.
var dates = []struct {
	name     string
	required bool
}{{"exp", true}, {"iat", true}, {"nbf", false}}

// judgeNumericDates is TOK-008: STS's NumericDate rule for each of exp,
// iat and nbf, and a warning for a date STS accepts that is plainly in
// milliseconds.
func judgeNumericDates(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	var problems, caveats, seen []string
	for _, d := range dates {
		v, present, e := c.Date(d.name)
		switch {
		case e != nil:
			problems = append(problems, e.Message)
		case !present && d.required:
			problems = append(problems, "Missing a required claim: "+d.name)
		case present:
			seen = append(seen, fmt.Sprintf("%s %d", d.name, v))
			if w := stsrules.DateCaveat(d.name, v); w != "" {
				caveats = append(caveats, w)
			}
		}
	}
	switch {
	case len(problems) > 0:
		return check.Failf("%s", strings.Join(problems, "; "))
	case len(caveats) > 0:
		return check.Warnf("%s", strings.Join(caveats, "; "))
	}
	return check.Pass("integer seconds: %s", strings.Join(seen, ", "))
}

// times returns the token's dates as the model reads them; TOK-008, which
// the time checks require, judges their form.
func times(t *evidence.Target) (stsrules.Times, *check.Finding) {
	c, skip := claimsOf(t)
	if skip != nil {
		return stsrules.Times{}, skip
	}
	ts, e := c.ReadTimes()
	if e != nil {
		f := check.Skip("no usable exp and iat (see TOK-008)")
		return ts, &f
	}
	return ts, nil
}

// judgeValidNow is TOK-009: STS's expiry (no skew) and not-before (60 s of
// skew) rules at the probe's time.
func judgeValidNow(t *evidence.Target) check.Finding {
	ts, skip := times(t)
	if skip != nil {
		return *skip
	}
	if t.ProbedAt.IsZero() {
		return check.Skip("no probe time recorded")
	}
	now := t.ProbedAt.Truncate(time.Second)
	// IAM accepts a token up to ExpiryWindow after exp (RuleExpired).
	window := stsrules.ExpiryAt(ts.Expires, now)
	if e := ts.CheckExpiry(now); e != nil {
		return check.Failf("%s (%s)", e.Message, window)
	}
	if e := ts.CheckNotBefore(now); e != nil {
		return check.Failf("%s (%s of skew allowed): the issuer's clock is ahead", e.Message, Skew)
	}
	if window.InWindow {
		return check.Warnf("at %d the token (exp %d) %s; renew it before then", now.Unix(), ts.Expires.Unix(), window)
	}
	return check.Pass("valid at %d: expires in %s", now.Unix(), ago(ts.Expires.Unix()-now.Unix()))
}

// judgeLifetime is TOK-010: exp - iat at most the maximum lifetime (not an
// STS refusal: "Token too old" has been seen, its bound is undocumented).
func judgeLifetime(t *evidence.Target) check.Finding {
	ts, skip := times(t)
	if skip != nil {
		return *skip
	}
	limit := time.Duration(t.Input.MaxTokenLifetime)
	if limit <= 0 {
		limit = DefaultMaxLifetime
	}
	exp, iat := ts.Expires.Unix(), ts.IssuedAt.Unix()
	if stsrules.DateCaveat("exp", exp) != "" || stsrules.DateCaveat("iat", iat) != "" {
		return check.Skip("a date is in milliseconds (see TOK-008)")
	}
	life := exp - iat
	switch {
	case life <= 0:
		return check.Warnf("exp %d is not after iat %d: the token was never valid", exp, iat)
	case life > int64(limit/time.Second):
		return check.Warnf("lifetime %s (exp - iat = %d s) is over %s; STS has rejected old tokens (\"Token too old\")",
			ago(life), life, limit)
	}
	return check.Pass("lifetime %s (exp - iat = %d s), at most %s", ago(life), life, limit)
}

// ago formats a number of seconds as a duration.
func ago(s int64) string {
	if s < 0 {
		s = -s
	}
	if s > math.MaxInt64/int64(time.Second) {
		return fmt.Sprintf("%ds", s)
	}
	return (time.Duration(s) * time.Second).String()
}
