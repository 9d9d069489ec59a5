package stsrules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxSubjectLength is the longest sub STS accepts, in characters: the
// API reference's constraint on SubjectFromWebIdentityToken (255), whose
// lengths, like every Smithy length constraint on a string, count Unicode
// code points, not bytes (Smithy 2.0, "length trait"). Whether STS counts
// the token's sub the same way is unconfirmed: SubjectCaveat warns in the
// band where bytes and characters disagree.
const MaxSubjectLength = 255

// Claims are a token's decoded claims.
type Claims map[string]json.RawMessage

// ClaimsOf returns the decoded claims of t, nil when they did not decode
// (CheckShape says why).
func ClaimsOf(t *Token) Claims {
	if t.parsed != nil {
		return t.parsed.claims
	}
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
	s, ok = JSONString(c[name])
	if !ok {
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
	if one, ok := JSONString(raw); ok {
		return []string{one}, true, true
	}
	values, ok = jsonStrings(raw)
	if !ok {
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
	trimmed := bytes.TrimSpace(raw)
	if v, ok := shortDecimal(trimmed); ok {
		return v, true, nil
	}
	s := string(trimmed)
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

// shortDecimal is strconv.ParseInt(string(b), 10, 64) for an optional minus
// and 1 to 18 digits (which cannot overflow), without the string; ok is
// false for anything else, which the caller gives to ParseInt.
func shortDecimal(b []byte) (int64, bool) {
	digits := b
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if len(digits) < len(b) {
		v = -v
	}
	return v, true
}
