package gcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Token-time rules.
const (
	// maxLifetime: exp must be less than 48 hours after iat.
	maxLifetime = 48 * time.Hour
	// skew is the most clock skew a relying party is taken to allow (RFC
	// 7519's "no more than a few minutes"): within it a broken time rule
	// only warns, GCP's own allowance being unconfirmed.
	skew = 5 * time.Minute
)

// noToken is the skip of the token rules without a token.
const noToken = "no token given"

// ctxJudge is the context of CEL work in a judge: judges take none, and
// each evaluation has its own cost and time bound (cel.go).
func ctxJudge() context.Context { return context.Background() }

// judged is what every token rule starts from: the provider and the
// token's claims, or the finding that ends the judgement early.
func judged(t *evidence.Target) (*Provider, map[string]json.RawMessage, *check.Finding) {
	p, err := providerOf(t.Input)
	if err != nil {
		f := check.Skip("no provider: %v", err)
		return nil, nil, &f
	}
	if t.Token == nil {
		f := check.Skip(noToken)
		return p, nil, &f
	}
	var c map[string]json.RawMessage
	if t.Token.Claims == nil || json.Unmarshal(t.Token.Claims, &c) != nil {
		f := check.Skip("the claims did not decode (see TOK-001)")
		return p, nil, &f
	}
	return p, c, nil
}

// headerOf decodes the token header, or the skip.
func headerOf(t *evidence.Target) (map[string]json.RawMessage, *check.Finding) {
	if t.Token == nil {
		f := check.Skip(noToken)
		return nil, &f
	}
	var h map[string]json.RawMessage
	if t.Token.Header == nil || json.Unmarshal(t.Token.Header, &h) != nil {
		f := check.Skip("the header did not decode (see TOK-001)")
		return nil, &f
	}
	return h, nil
}

// judgeTransport is GCP-001: issuerUri is https, and no chain the probe
// saw for the discovery and JWKS hosts is a self-signed certificate.
func judgeTransport(t *evidence.Target) check.Finding {
	p, err := providerOf(t.Input)
	if err != nil {
		return check.Skip("no provider: %v", err)
	}
	u, perr := url.Parse(p.OIDC.IssuerURI)
	if perr != nil || u.Scheme != "https" || u.Host == "" {
		return check.Failf("issuerUri %q is not an https URL: GCP requires an HTTPS endpoint", clip(p.OIDC.IssuerURI, 200))
	}
	judged := 0
	for _, ex := range []*evidence.Exchange{t.Discovery, t.JWKS} {
		h := ex.Final()
		if h == nil || h.TLS == nil || len(h.TLS.Chain) == 0 {
			continue
		}
		judged++
		if selfSigned(h.TLS.Chain[0]) {
			return check.Failf("%s presents a self-signed certificate: GCP does not support endpoints with self-signed certificates (invalid_grant: \"Error connecting to the given credential's issuer.\")", h.TLS.ServerName)
		}
	}
	if judged == 0 {
		return check.Skip("no TLS chain was recorded (see DISC-001)")
	}
	return check.Pass("issuerUri %q is https; the chains are CA-issued", p.OIDC.IssuerURI)
}

// judgeIssuer is GCP-002: iss equals issuerUri.
func judgeIssuer(t *evidence.Target) check.Finding {
	p, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	var iss string
	if json.Unmarshal(c["iss"], &iss) != nil {
		return check.Failf("the token has no iss string: GCP requires iss")
	}
	want := p.OIDC.IssuerURI
	switch {
	case iss == want:
		return check.Pass("iss %q", iss)
	case strings.TrimSuffix(iss, "/") == strings.TrimSuffix(want, "/"):
		return check.Warnf("iss %q and issuerUri %q differ only by a trailing slash: whether GCP normalises it is unconfirmed (its error prints the expected issuer with a trailing /)", iss, want)
	}
	return check.Failf("iss is not the issuerUri: GCP answers invalid_grant \"The issuer in ID Token %s does not match the expected ones: %s\"", clip(iss, 200), want)
}

// algorithms are the only signing algorithms GCP accepts.
var algorithms = []string{"RS256", "ES256"}

// judgeAlg is GCP-003.
func judgeAlg(t *evidence.Target) check.Finding {
	h, skip := headerOf(t)
	if skip != nil {
		return *skip
	}
	var alg string
	if json.Unmarshal(h["alg"], &alg) != nil || !slices.Contains(algorithms, alg) {
		return check.Failf("alg %s: GCP accepts only RS256 and ES256", clip(string(h["alg"]), 40))
	}
	return check.Pass("alg %s", alg)
}

// judgeKid is GCP-004.
func judgeKid(t *evidence.Target) check.Finding {
	h, skip := headerOf(t)
	if skip != nil {
		return *skip
	}
	raw, ok := h["kid"]
	if !ok {
		return check.Failf("the token header has no kid: GCP requires kid and alg in the header")
	}
	var kid string
	if json.Unmarshal(raw, &kid) != nil {
		return check.Failf("the header's kid is not a string: %s", clip(string(raw), 40))
	}
	if kid == "" {
		return check.Warnf("the header's kid is \"\": GCP requires a kid, and whether it takes an empty one is unconfirmed")
	}
	return check.Pass("kid %q", kid)
}

// numericDate reads a time claim: its seconds, whether present, and
// whether it is a JSON number (a string of digits is read too, flagged).
func numericDate(raw json.RawMessage) (secs float64, present, number bool) {
	if raw == nil {
		return 0, false, false
	}
	if json.Unmarshal(raw, &secs) == nil {
		return secs, true, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if _, err := fmt.Sscanf(s, "%g", &secs); err == nil {
			return secs, true, false
		}
	}
	return 0, true, false
}

// judgeLifetime is GCP-005: iat in the past, exp less than 48 h after iat.
func judgeLifetime(t *evidence.Target) check.Finding {
	_, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	now := float64(t.ProbedAt.Unix())
	iat, hasIat, iatNum := numericDate(c["iat"])
	exp, hasExp, expNum := numericDate(c["exp"])
	switch {
	case !hasIat:
		return check.Failf("the token has no iat: GCP requires it")
	case !hasExp:
		return check.Failf("the token has no exp: GCP requires it")
	case iat == 0 && !iatNum:
		return check.Failf("iat %s is not a date", clip(string(c["iat"]), 40))
	case exp == 0 && !expNum:
		return check.Failf("exp %s is not a date", clip(string(c["exp"]), 40))
	case iat > now+skew.Seconds():
		return check.Failf("iat is %.0f s ahead of the probe: GCP requires iat in the past", iat-now)
	case exp-iat >= maxLifetime.Seconds():
		return check.Failf("exp is %s after iat: GCP requires exp less than 48 hours after iat", lifetime(exp-iat))
	case !iatNum || !expNum:
		return check.Warnf("iat or exp is a string, not a JSON number: whether GCP reads it is unconfirmed")
	case iat > now:
		return check.Warnf("iat is %.0f s ahead of the probe: GCP requires iat in the past; whether it allows that much skew is unconfirmed", iat-now)
	}
	return check.Pass("issued %.0f s ago for %s", now-iat, lifetime(exp-iat))
}

// lifetime formats a number of seconds as a duration, or as seconds where
// a duration would overflow (a hostile exp).
func lifetime(s float64) string {
	if s > -1e9 && s < 1e9 {
		return (time.Duration(s) * time.Second).String()
	}
	return fmt.Sprintf("%.0f s", s)
}

// judgeExpiry is GCP-006: not expired (nbf: a warning).
func judgeExpiry(t *evidence.Target) check.Finding {
	_, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	now := float64(t.ProbedAt.Unix())
	exp, hasExp, _ := numericDate(c["exp"])
	if !hasExp || exp == 0 {
		return check.Skip("no exp date (GCP-005 judges it)")
	}
	switch {
	case now > exp+skew.Seconds():
		return check.Failf("the token expired %.0f s before the probe: GCP refuses it", now-exp)
	case now > exp:
		return check.Warnf("the token expired %.0f s before the probe: GCP's clock-skew allowance is unconfirmed", now-exp)
	}
	if nbf, ok, _ := numericDate(c["nbf"]); ok && nbf > now {
		return check.Warnf("nbf is %.0f s ahead of the probe: whether GCP checks nbf is unconfirmed", nbf-now)
	}
	return check.Pass("exp in %.0f s", exp-now)
}

// judgeAudience is GCP-007.
func judgeAudience(t *evidence.Target) check.Finding {
	p, c, skip := judged(t)
	if skip != nil {
		return *skip
	}
	raw, ok := c["aud"]
	if !ok {
		return check.Failf("the token has no aud: GCP requires it")
	}
	var auds []string
	var one string
	if json.Unmarshal(raw, &one) == nil {
		auds = []string{one}
	} else if json.Unmarshal(raw, &auds) != nil {
		return check.Failf("aud is neither a string nor a list of strings: %s", clip(string(raw), 60))
	}
	want := p.Audiences()
	for _, a := range auds {
		if slices.Contains(want, a) {
			return check.Pass("aud %q is accepted by the provider", a)
		}
	}
	what := fmt.Sprintf("allowedAudiences %q", want)
	if len(p.OIDC.AllowedAudiences) == 0 {
		what = fmt.Sprintf("the provider's full resource name %q (allowedAudiences is empty)", want)
	}
	return check.Failf("aud %q holds none of %s: GCP refuses the token", clipAll(auds), what)
}

// clipAll shortens each value and the list for a message.
func clipAll(v []string) []string {
	const maxShown = 5
	out := make([]string, 0, min(len(v), maxShown))
	for _, s := range v[:min(len(v), maxShown)] {
		out = append(out, clip(s, 100))
	}
	return out
}

// mapped evaluates the mapping on the target's token.
func mapped(t *evidence.Target) (*Provider, map[string]any, Mapped, error, *check.Finding) {
	p, _, skip := judged(t)
	if skip != nil {
		return nil, nil, Mapped{}, nil, skip
	}
	a, err := assertionOf(t.Token.Claims)
	if err != nil {
		f := check.Skip("%v", err)
		return nil, nil, Mapped{}, nil, &f
	}
	m, err := p.Map(ctxJudge(), a)
	return p, a, m, err, nil
}

// judgeMapping is GCP-008.
func judgeMapping(t *evidence.Target) check.Finding {
	_, _, m, err, skip := mapped(t)
	if skip != nil {
		return *skip
	}
	if errors.Is(err, errCost) {
		return check.Warnf("%v: GCP's own evaluation limits are unpublished, so whether GCP evaluates it is unconfirmed", err)
	}
	if err != nil {
		return check.Failf("%v", err)
	}
	sub, _ := m.Google["subject"].(string)
	return check.Pass("google.subject %q (%d bytes), %d custom attributes", clip(sub, 127), len(sub), len(m.Attribute))
}

// judgeCondition is GCP-009.
func judgeCondition(t *evidence.Target) check.Finding {
	p, a, m, err, skip := mapped(t)
	if skip != nil {
		return *skip
	}
	if err != nil {
		return check.Skip("the mapping did not evaluate (see GCP-008)")
	}
	if p.condition == nil {
		return check.Pass("no attributeCondition")
	}
	if err := p.Admit(ctxJudge(), a, m); errors.Is(err, errCost) {
		return check.Warnf("%v: GCP's own evaluation limits are unpublished, so whether GCP evaluates it is unconfirmed", err)
	} else if err != nil {
		return check.Failf("%v", err)
	}
	return check.Pass("attributeCondition is true")
}

// judgeEnabled is GCP-013.
func judgeEnabled(t *evidence.Target) check.Finding {
	p, err := providerOf(t.Input)
	if err != nil {
		return check.Skip("no provider: %v", err)
	}
	if p.Disabled || (p.State != "" && p.State != "ACTIVE") {
		return check.Failf("the provider is disabled (state %q, disabled %t): GCP answers invalid_target \"The target service indicated by the \"audience\" parameters is invalid\" (the pool or provider is disabled or deleted)", p.State, p.Disabled)
	}
	return check.Pass("state ACTIVE")
}
