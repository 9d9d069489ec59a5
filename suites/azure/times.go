package azure

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
)

// Time rules.
const (
	// MaxLifetime is Entra's longest exp - iat, 1.01:00:00 (AADSTS70023).
	MaxLifetime = 25 * time.Hour
	// Skew is the clock skew modelled (unconfirmed for Entra): the default of
	// Microsoft.IdentityModel's TokenValidationParameters, 5 minutes.
	Skew = 5 * time.Minute
	// Drift is how far ahead nbf may be without a warning: clock drift no
	// relying party of the matrix refuses (STS's model and Vault allow 60 s,
	// kube-apiserver 5 minutes on nbf).
	Drift = time.Minute
)

// Entra's answers on a token's times, as users quote them.
const (
	tooLong    = "AADSTS70023: External OIDC Provider token must have a lifetime of less than or equal to 1.01:00:00"
	notInRange = "AADSTS700024: Client assertion is not within its valid time range."
)

// date is one time claim: absent, integer seconds, or neither.
type date struct {
	present, integer bool
	v                int64
}

// dateOf reads the time claim name.
func dateOf(c kubeuser.Claims, name string) date {
	raw, ok := c[name]
	if !ok || string(raw) == "null" {
		return date{}
	}
	var n json.Number
	if raw[0] == '"' || json.Unmarshal(raw, &n) != nil {
		return date{present: true}
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return date{present: true}
	}
	return date{present: true, integer: true, v: v}
}

// claimsOnly returns the token's claims, or the skip without a token.
func claimsOnly(t *evidence.Target) (kubeuser.Claims, *check.Finding) {
	if t.Token == nil {
		f := check.Skip("no token given")
		return nil, &f
	}
	c, err := kubeuser.ParseClaims(t.Token.Claims)
	if err != nil {
		f := check.Skip("the claims did not decode (see TOK-001)")
		return nil, &f
	}
	return c, nil
}

// judgeLifetime is AZR-004: iat present, exp - iat at most 25 h.
func judgeLifetime(t *evidence.Target) check.Finding {
	c, skip := claimsOnly(t)
	if skip != nil {
		return *skip
	}
	iat, exp := dateOf(c, "iat"), dateOf(c, "exp")
	switch {
	case !iat.present:
		return check.Failf("the token has no iat: Entra reads \"Token issued at 0\" and answers %s", tooLong)
	case !iat.integer || (exp.present && !exp.integer):
		return check.Warnf("iat %s, exp %s: not integer seconds; how Entra reads them is unconfirmed", c["iat"], c["exp"])
	case !exp.present:
		return check.Skip("no exp: AZR-005 judges it")
	}
	life := exp.v - iat.v
	if life > int64(MaxLifetime/time.Second) {
		return check.Failf("lifetime exp - iat = %d s (%s), over 25 h: %s", life, span(life), tooLong)
	}
	return check.Pass("lifetime exp - iat = %d s (%s), at most 25 h", life, span(life))
}

// judgeValidity is AZR-005: not expired, not before nbf, iat not ahead, at
// the probe time, with the modelled skew.
func judgeValidity(t *evidence.Target) check.Finding {
	c, skip := claimsOnly(t)
	if skip != nil {
		return *skip
	}
	if t.ProbedAt.IsZero() {
		return check.Skip("no probe time recorded")
	}
	now, skew := t.ProbedAt.Unix(), int64(Skew/time.Second)
	exp, nbf, iat := dateOf(c, "exp"), dateOf(c, "nbf"), dateOf(c, "iat")
	for _, d := range []struct {
		name string
		d    date
	}{{"exp", exp}, {"nbf", nbf}, {"iat", iat}} {
		if d.d.present && !d.d.integer {
			return check.Warnf("%s %s is not integer seconds: how Entra reads it is unconfirmed", d.name, c[d.name])
		}
	}
	switch {
	case !exp.present:
		return check.Warnf("the token has no exp: what Entra does with it is unconfirmed")
	case now-skew > exp.v:
		return check.Failf("the token expired %s before the probe (exp %d), more than the 5 minutes of skew modelled: %s", span(now-exp.v), exp.v, notInRange)
	case nbf.present && nbf.v-skew > now:
		return check.Failf("nbf %d is %s ahead of the probe, more than the 5 minutes of skew modelled: %s", nbf.v, span(nbf.v-now), notInRange)
	case now > exp.v:
		return check.Warnf("the token expired %s before the probe, within the 5 minutes of skew modelled: Entra's skew is unconfirmed (else %s)", span(now-exp.v), notInRange)
	case nbf.present && nbf.v > now+int64(Drift/time.Second):
		return check.Warnf("nbf is %s ahead of the probe, within the 5 minutes of skew modelled: Entra's skew is unconfirmed (else %s)", span(nbf.v-now), notInRange)
	case iat.present && iat.v-skew > now:
		return check.Warnf("iat %d is %s ahead of the probe: whether Entra refuses a token issued in the future is unconfirmed", iat.v, span(iat.v-now))
	}
	return check.Pass("valid at %d: expires in %s", now, span(exp.v-now))
}

// span formats a number of seconds as a duration.
func span(s int64) string {
	if s < 0 {
		s = -s
	}
	if s > int64(1<<62)/int64(time.Second) {
		return fmt.Sprintf("%ds", s)
	}
	return (time.Duration(s) * time.Second).String()
}
