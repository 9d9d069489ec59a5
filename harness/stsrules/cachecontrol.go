package stsrules

import (
	"strconv"
	"strings"
	"time"
)

// maxDeltaSeconds bounds a usable max-age: a larger one (a century) is
// taken for a mistake rather than for a lifetime.
const maxDeltaSeconds = int64(100 * 365 * 24 * time.Hour / time.Second)

// MaxAge returns the max-age of a Cache-Control field value (RFC 9111
// §5.2.2.1): the first max-age directive, its name matched
// case-insensitively, its delta-seconds as a token or a quoted string
// (§5.2). ok is false when there is none or the first is not a
// non-negative integer of at most a century. Several field lines combine
// into one value joined by ", " (RFC 9110 §5.3).
func MaxAge(cacheControl string) (d time.Duration, ok bool) {
	v, present := Directive(cacheControl, "max-age")
	if !present {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > maxDeltaSeconds {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

// NoCache reports whether a Cache-Control field value forbids reusing the
// response without revalidation: it has no-store (RFC 9111 §5.2.2.5) or a
// no-cache without field names (§5.2.2.4; no-cache="name" only concerns
// those header fields).
func NoCache(cacheControl string) bool {
	if _, ok := Directive(cacheControl, "no-store"); ok {
		return true
	}
	v, ok := Directive(cacheControl, "no-cache")
	return ok && v == ""
}

// Directive returns the argument of the first directive called name
// (matched case-insensitively) in a Cache-Control field value, unquoted;
// "" when it has none. present is false when there is no such directive.
// Commas inside a quoted argument do not split directives.
func Directive(cacheControl, name string) (value string, present bool) {
	for _, dir := range splitDirectives(cacheControl) {
		n, v, _ := strings.Cut(dir, "=")
		if !strings.EqualFold(strings.TrimSpace(n), name) {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = unquote(v[1 : len(v)-1])
		}
		return v, true
	}
	return "", false
}

// splitDirectives splits a Cache-Control value at the commas outside quoted
// strings, dropping empty elements (RFC 9110 §5.6.1).
func splitDirectives(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++ // quoted-pair
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = appendDirective(out, s[start:i])
			start = i + 1
		}
	}
	return appendDirective(out, s[start:])
}

func appendDirective(out []string, d string) []string {
	if d = strings.TrimSpace(d); d != "" {
		out = append(out, d)
	}
	return out
}

// unquote undoes the quoted-pairs of a quoted string's content (RFC 9110
// §5.6.4).
func unquote(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
