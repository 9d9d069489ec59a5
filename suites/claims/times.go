package claims

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/webidentity"
)

// Time rules.
const (
	// Skew is the clock skew allowed for exp, iat and nbf.
	Skew = 60 * time.Second
	// DefaultMaxLifetime is the longest lifetime accepted when none is given
	// (EKS issues tokens for 86400 s).
	DefaultMaxLifetime = 24 * time.Hour
	// millisecondsAbove: a NumericDate above 1e11 (the year 5138 in seconds)
	// is taken to be in milliseconds.
	millisecondsAbove = 100_000_000_000
)

// integer is a JSON number without fraction or exponent.
var integer = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// numericDate is one of exp, iat, nbf.
type numericDate struct {
	name     string
	required bool
}

var dates = []numericDate{{"exp", true}, {"iat", true}, {"nbf", false}}

// seconds reads claim name as integer seconds. present is false when the
// claim is absent; problem says why the value is unusable.
func seconds(c object, name string) (v int64, present bool, problem string) {
	raw, present := c[name]
	if !present {
		return 0, false, ""
	}
	s := string(bytes.TrimSpace(raw))
	shown := clip([]byte(s), 40)
	switch {
	case strings.HasPrefix(s, `"`):
		return 0, true, fmt.Sprintf("%s is a string, %s (want a JSON integer)", name, shown)
	case integer.MatchString(s):
		v, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil:
			return 0, true, fmt.Sprintf("%s is %s, too large for a date", name, shown)
		case v > millisecondsAbove:
			return 0, true, fmt.Sprintf("%s is %d, which is in milliseconds (want seconds since the epoch: %d)", name, v, v/1000)
		case v < 0:
			return 0, true, fmt.Sprintf("%s is %d, before the epoch", name, v)
		}
		return v, true, ""
	case s != "" && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')):
		return 0, true, fmt.Sprintf("%s is %s, not an integer (want whole seconds, no fraction or exponent)", name, shown)
	}
	return 0, true, fmt.Sprintf("%s is %s, not a number", name, shown)
}

func judgeNumericDates(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	var problems, seen []string
	for _, d := range dates {
		v, present, problem := seconds(c, d.name)
		switch {
		case !present && d.required:
			problems = append(problems, "Missing a required claim: "+d.name)
		case problem != "":
			problems = append(problems, problem)
		case present:
			seen = append(seen, fmt.Sprintf("%s %d", d.name, v))
		}
	}
	if len(problems) > 0 {
		return check.Failf("%s", strings.Join(problems, "; "))
	}
	return check.Pass("integer seconds: %s", strings.Join(seen, ", "))
}

// usable returns the claims among exp, iat, nbf that are integer seconds;
// the others are TOK-008's findings and are not judged again.
func usable(c object) map[string]int64 {
	out := map[string]int64{}
	for _, d := range dates {
		if v, present, problem := seconds(c, d.name); present && problem == "" {
			out[d.name] = v
		}
	}
	return out
}

func judgeValidNow(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	if t.ProbedAt.IsZero() {
		return check.Skip("no probe time recorded")
	}
	now := t.ProbedAt.Unix()
	skew := int64(Skew / time.Second)
	u := usable(c)
	if len(u) == 0 {
		return check.Skip("no integer exp, iat or nbf (see TOK-008)")
	}
	var problems []string
	// IAM accepts a token up to ExpiryWindow after exp (the shared STS
	// rule, webidentity.CheckExpiry); the skew is for iat and nbf, a clock
	// slightly ahead.
	var window webidentity.Expiry
	if exp, ok := u["exp"]; ok {
		window = webidentity.CheckExpiry(time.Unix(exp, 0), t.ProbedAt)
		if window.Expired {
			problems = append(problems, fmt.Sprintf("Token expired: current date/time %d must be before the expiration date/time %d (%s)",
				now, exp, window))
		}
	}
	for _, name := range []string{"iat", "nbf"} {
		if v, ok := u[name]; ok && v > now+skew {
			problems = append(problems, fmt.Sprintf("%s %d is %s in the future (now %d; %s of skew allowed): the issuer's clock is ahead",
				name, v, ago(v-now), now, Skew))
		}
	}
	if len(problems) > 0 {
		return check.Failf("%s", strings.Join(problems, "; "))
	}
	if exp, ok := u["exp"]; ok && window.InWindow {
		return check.Warnf("at %d the token (exp %d) %s; renew it before then", now, exp, window)
	}
	if exp, ok := u["exp"]; ok {
		return check.Pass("valid at %d: expires in %s", now, ago(exp-now))
	}
	return check.Pass("valid at %d", now)
}

func judgeLifetime(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	u := usable(c)
	exp, okExp := u["exp"]
	iat, okIat := u["iat"]
	if !okExp || !okIat {
		return check.Skip("needs integer exp and iat (see TOK-008)")
	}
	limit := time.Duration(t.Input.MaxTokenLifetime)
	if limit <= 0 {
		limit = DefaultMaxLifetime
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
