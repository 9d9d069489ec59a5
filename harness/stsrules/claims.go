package stsrules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxSubjectLength is the longest sub STS accepts, in characters: the
// API reference's constraint on SubjectFromWebIdentityToken (255), whose
// lengths, like every Smithy length constraint on a string, count Unicode
// code points, not bytes (Smithy 2.0, "length trait"). Whether STS counts
// the token's sub the same way is unconfirmed: SubjectCaveat warns in the
// band where bytes and characters disagree.
const MaxSubjectLength = 255

// FutureSkew is how far iat and nbf may lie in the future.
const FutureSkew = 60 * time.Second

// millisecondsAbove: a NumericDate above 1e11 (the year 5138 in seconds) is
// taken to be in milliseconds.
const millisecondsAbove = 100_000_000_000

// Claims are a token's decoded claims.
type Claims map[string]json.RawMessage

// ClaimsOf returns the decoded claims of t, nil when they did not decode
// (CheckShape says why).
func ClaimsOf(t *Token) Claims {
	m, err := parseObject(t.Claims)
	if err != nil {
		return nil
	}
	return m
}

// present reports whether claim name is there and not null.
func (c Claims) present(name string) bool {
	raw, ok := c[name]
	return ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// str reads claim name as a string; ok is false when it is present but not one.
func (c Claims) str(name string) (s string, present, ok bool) {
	if !c.present(name) {
		return "", false, false
	}
	raw := c[name]
	if !isKind(raw, '"') || json.Unmarshal(raw, &s) != nil {
		return "", true, false
	}
	return s, true, true
}

// list reads a claim that is a string or an array of strings.
func (c Claims) list(name string) (values []string, present, ok bool) {
	if !c.present(name) {
		return nil, false, false
	}
	raw := c[name]
	var one string
	if isKind(raw, '"') && json.Unmarshal(raw, &one) == nil {
		return []string{one}, true, true
	}
	if !isKind(raw, '[') || json.Unmarshal(raw, &values) != nil {
		return nil, true, false
	}
	return values, true, true
}

// Issuer is RuleIssuerClaim: iss, a non-empty string.
func (c Claims) Issuer() (string, *Error) {
	iss, present, ok := c.str("iss")
	switch {
	case present && !ok:
		return "", refuse(RuleIssuerClaim, "", fmt.Errorf("iss is not a string: %s", clip(string(c["iss"]), 80)))
	case !present || iss == "":
		return "", refuse(RuleIssuerClaim, "", nil)
	}
	return iss, nil
}

// Audiences is RuleAudienceClaim: aud, a string or a non-empty array of
// strings.
func (c Claims) Audiences() ([]string, *Error) {
	auds, present, ok := c.list("aud")
	switch {
	case present && !ok:
		return nil, refuse(RuleAudienceClaim, "", fmt.Errorf("aud is neither a string nor an array of strings: %s", clip(string(c["aud"]), 80)))
	case !present || len(auds) == 0:
		return nil, refuse(RuleAudienceClaim, "", nil)
	}
	return auds, nil
}

// Subject is RuleSubject: sub, a non-empty string of at most
// MaxSubjectLength characters.
func (c Claims) Subject() (string, *Error) {
	sub, present, ok := c.str("sub")
	switch {
	case present && !ok:
		return "", refusef(RuleSubject, "The token's sub claim is not a string: %s", clip(string(c["sub"]), 80))
	case !present || sub == "":
		return "", refuse(RuleSubject, msgMissingClaim+"sub", nil)
	}
	if n := utf8.RuneCountInString(sub); n > MaxSubjectLength {
		return "", refusef(RuleSubject, "The sub claim is %d characters long; STS takes at most %d", n, MaxSubjectLength)
	}
	return sub, nil
}

// SubjectCaveat is the warning for a sub STS's documented rule accepts but
// whose length in bytes is over MaxSubjectLength: whether STS counts bytes
// is unconfirmed. "" otherwise.
func SubjectCaveat(sub string) string {
	n, b := utf8.RuneCountInString(sub), len(sub)
	if n <= MaxSubjectLength && b > MaxSubjectLength {
		return fmt.Sprintf("sub is %d characters but %d bytes in UTF-8: within STS's documented %d characters, over %d if STS counted bytes "+
			"(unconfirmed AWS behaviour; the harness, the mock STS and explain count characters and accept it)", n, b, MaxSubjectLength, MaxSubjectLength)
	}
	return ""
}

// AuthorizedParty is azp when it is a string, "" otherwise. STS's handling
// of a non-string azp is undocumented: the model does not refuse it.
func (c Claims) AuthorizedParty() string {
	azp, _, _ := c.str("azp")
	return azp
}

// AMR is amr when it is a string or an array of strings, nil otherwise.
func (c Claims) AMR() []string {
	amr, _, _ := c.list("amr")
	return amr
}

// Date is RuleNumericDate for claim name: a JSON integer of seconds.
// present is false when the claim is absent.
func (c Claims) Date(name string) (seconds int64, present bool, err *Error) {
	raw, ok := c[name]
	if !ok {
		return 0, false, nil
	}
	s := string(bytes.TrimSpace(raw))
	shown := clip(s, 40)
	v, perr := strconv.ParseInt(s, 10, 64)
	if perr == nil {
		return v, true, nil
	}
	var why string
	switch {
	case strings.HasPrefix(s, `"`):
		why = fmt.Sprintf("%s is a string, %s (want a JSON integer)", name, shown)
	case integer(s):
		why = fmt.Sprintf("%s is %s, too large for a date", name, shown)
	case s != "" && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')):
		why = fmt.Sprintf("%s is %s, not an integer (want whole seconds, no fraction or exponent)", name, shown)
	default:
		why = fmt.Sprintf("%s is %s, not a number", name, shown)
	}
	return 0, true, refusef(RuleNumericDate, "The token's %s claim must be an integer number of seconds: %s", name, why)
}

// integer reports whether s is a JSON integer (digits, an optional minus).
func integer(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

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

// CheckExpiry is RuleExpired: exp is after now, with no skew.
func (t Times) CheckExpiry(now time.Time) *Error {
	if !t.Expires.IsZero() && !now.Before(t.Expires) {
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

// MatchAudience is RuleAudience: the first aud value that is one of
// clientIDs, exactly.
func MatchAudience(auds, clientIDs []string) (string, *Error) {
	for _, a := range auds {
		for _, c := range clientIDs {
			if a == c {
				return a, nil
			}
		}
	}
	return "", refuse(RuleAudience, "", fmt.Errorf("no aud value of %q is a client ID of the provider (%q); the match is exact", auds, clientIDs))
}
