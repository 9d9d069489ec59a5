package probe

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Redacted replaces private key material in recorded key sets: the unpadded
// base64url of "redacted-by-oidc-conformance", so a redacted member is still
// well-formed (JWKS-003 judges the form of d, p, q, dp, dq, qi and k). See
// RedactJWKS for the placeholders of further distinct values.
const Redacted = "cmVkYWN0ZWQtYnktb2lkYy1jb25mb3JtYW5jZQ"

// privateMembers carry private key material in an RSA, EC or OKP key (RFC
// 7518 §6.2.2, §6.3.2; RFC 8037 §2). k is the secret of an oct key (RFC
// 7518 §6.4.1).
var privateMembers = map[string]bool{"d": true, "p": true, "q": true, "dp": true, "dq": true, "qi": true, "oth": true}

// asymmetric are the key types in which k is no defined member; in any
// other key (oct, an unknown type, no kty) k is taken for a secret.
var asymmetric = map[string]bool{"RSA": true, "EC": true, "OKP": true}

// RedactJWKS returns body with the values of the private members of every
// key replaced, so a key set that leaks private keys is not copied into
// evidence, --save-evidence or --save-jwks files. The keys are those of the
// keys array of a JSON object, and the object itself when it is a bare key
// (it has kty); their private members are d, p, q, dp, dq, qi and oth, and
// k unless kty is RSA, EC or OKP.
//
// Only the redacted values change; every other byte, the member names and
// their order included, is kept. A string becomes a placeholder: Redacted
// for the first distinct value of that member in the body (the only one,
// as a rule), then the base64url of "redacted-by-oidc-conformance-2", -3
// and so on, so that keys which differed, or were the same, still are (an
// oct key's thumbprint is its k). It keeps the value's form: unpadded
// base64url, else with "==" appended when the value decoded leniently
// (padded, the base64 alphabet), else with "." appended. "" stays. A number
// becomes 0, 1, ... alike; in an object or array (oth) every string and
// number is replaced so; true, false and null stay. A redacted key thus has
// the same members of the same JSON types in the same form, and the JWKS
// and rotation checks judge the record as they would the set served; only
// the material is gone. (What a placeholder cannot keep: that two values
// differed only in their JSON escapes, and that a secret changed between
// two fetches at the same place in the set.)
//
// A body that does not start with a JSON object is returned unchanged (an
// HTML error page). One that is not well-formed JSON after that (truncated
// at the size cap, say) is redacted up to where it breaks, and a private
// value cut short there is replaced to the end of the body; such a body
// does not parse before or after. body is never modified: when something
// is redacted the result is a new slice.
func RedactJWKS(body []byte) []byte {
	r := &redactor{b: body}
	r.ws()
	if r.i >= len(body) || body[r.i] != '{' {
		return body
	}
	// A broken body keeps what was redacted before the break. A number cut
	// short by the break ("10.0" of "10.0.0") is replaced by a string, never
	// a number that the rest could complete into valid JSON ("0" + ".0").
	if err := r.key(true); err != nil {
		if n := len(r.edits); n > 0 && r.edits[n-1].number && r.edits[n-1].end == r.i {
			r.edits[n-1] = edit{start: r.edits[n-1].start, end: r.i, repl: `"` + Redacted + `"`}
		}
	}
	// The placeholders are numbered now, over the edits kept, so that
	// redacting a redacted body changes nothing.
	var out []byte
	last := 0
	for _, e := range r.edits {
		if e.drop {
			continue
		}
		repl := e.text(r)
		if out == nil && string(body[e.start:e.end]) == repl {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(body)+len(Redacted))
		}
		out = append(append(out, body[last:e.start]...), repl...)
		last = e.end
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// errJSON is a syntax error or the end of the body before a value ends.
var errJSON = errors.New("not well-formed JSON")

// edit replaces body[start:end]: with the placeholder that class (the
// value) has among the values of private member ns, plus suffix (a
// number's is a number), or with repl when ns is "".
type edit struct {
	start, end int
	ns, class  string
	suffix     string
	number     bool
	repl       string
	drop       bool
}

// text is what the edit writes.
func (e edit) text(r *redactor) string {
	switch {
	case e.ns == "":
		return e.repl
	case e.number:
		return strconv.Itoa(r.ordinal(e.ns+"\x00number", e.class) - 1)
	}
	return `"` + placeholder(r.ordinal(e.ns, e.class)) + e.suffix + `"`
}

// redactor scans a body once, validating as encoding/json does, and records
// the edits that redact it in body order.
type redactor struct {
	b     []byte
	i     int
	edits []edit
	// seen numbers each private member's distinct values; count is the
	// number of distinct values of each member so far.
	seen  map[string]int
	count map[string]int
	// depth is the nesting of the value being scanned: past maxDepth the
	// body counts as broken there, so a hostile nesting cannot grow the
	// stack without bound.
	depth int
}

// maxDepth is encoding/json's nesting limit: deeper is not JSON to it.
const maxDepth = 10000

// key scans the object at r.i as a key. At the top level (top) a keys
// member holds the keys of a set, and the object's own private members are
// redacted only when it has kty (a bare key) or is cut short.
func (r *redactor) key(top bool) error {
	type candidate struct {
		name     string
		from, to int // its edits
	}
	var cands []candidate
	kty, hasKty := "", false
	settle := func(broken bool) {
		for _, c := range cands {
			keep := broken || !top || hasKty
			if c.name == "k" && asymmetric[kty] {
				keep = false
			}
			for i := c.from; i < c.to; i++ {
				r.edits[i].drop = !keep
			}
		}
	}
	err := r.members(func(name string) error {
		switch {
		case top && name == "keys":
			return r.keys()
		case privateMembers[name] || name == "k":
			from, start := len(r.edits), r.i
			err := r.value(name)
			if err != nil && start < len(r.b) {
				// Cut short or broken inside the value: redact to the end.
				r.edits = append(r.edits[:from], edit{start: start, end: len(r.b), repl: `"` + Redacted + `"`})
			}
			cands = append(cands, candidate{name, from, len(r.edits)})
			return err
		case name == "kty":
			start := r.i
			if err := r.value(""); err != nil {
				return err
			}
			var s string
			_ = json.Unmarshal(r.b[start:r.i], &s) // not a string: ""
			kty, hasKty = s, true
			return nil
		}
		return r.value("")
	})
	settle(err != nil)
	return err
}

// keys scans the value of a set's keys member: each object in it is a key.
func (r *redactor) keys() error {
	if r.i >= len(r.b) || r.b[r.i] != '[' {
		return r.value("")
	}
	return r.elements(func() error {
		if r.i < len(r.b) && r.b[r.i] == '{' {
			return r.key(false)
		}
		return r.value("")
	})
}

// members scans the object at r.i, calling member with r.i at the start of
// each member's value, which it must scan.
func (r *redactor) members(member func(name string) error) error {
	r.i++ // '{'
	r.ws()
	if r.i < len(r.b) && r.b[r.i] == '}' {
		r.i++
		return nil
	}
	for {
		r.ws()
		start := r.i
		if err := r.str(); err != nil {
			return err
		}
		name := decodeName(r.b[start:r.i])
		r.ws()
		if r.i >= len(r.b) || r.b[r.i] != ':' {
			return errJSON
		}
		r.i++
		r.ws()
		if err := member(name); err != nil {
			return err
		}
		r.ws()
		if r.i >= len(r.b) {
			return errJSON
		}
		switch r.b[r.i] {
		case ',':
			r.i++
		case '}':
			r.i++
			return nil
		default:
			return errJSON
		}
	}
}

// elements scans the array at r.i, calling element with r.i at the start
// of each element, which it must scan.
func (r *redactor) elements(element func() error) error {
	r.i++ // '['
	r.ws()
	if r.i < len(r.b) && r.b[r.i] == ']' {
		r.i++
		return nil
	}
	for {
		r.ws()
		if err := element(); err != nil {
			return err
		}
		r.ws()
		if r.i >= len(r.b) {
			return errJSON
		}
		switch r.b[r.i] {
		case ',':
			r.i++
		case ']':
			r.i++
			return nil
		default:
			return errJSON
		}
	}
}

// value scans the value at r.i. Given the name of a private member (ns),
// it records the edits that replace the value's strings and numbers.
func (r *redactor) value(ns string) error {
	if r.depth++; r.depth > maxDepth {
		return errJSON
	}
	defer func() { r.depth-- }()
	r.ws()
	if r.i >= len(r.b) {
		return errJSON
	}
	start := r.i
	switch c := r.b[r.i]; {
	case c == '"':
		if err := r.str(); err != nil {
			return err
		}
		if ns != "" {
			r.redactString(ns, start)
		}
	case c == '{':
		return r.members(func(string) error { return r.value(ns) })
	case c == '[':
		return r.elements(func() error { return r.value(ns) })
	case c == '-' || c >= '0' && c <= '9':
		if err := r.number(); err != nil {
			return err
		}
		if ns != "" {
			r.edits = append(r.edits, edit{start: start, end: r.i, ns: ns, class: string(r.b[start:r.i]), number: true})
		}
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(r.b[r.i:], []byte(lit)) {
				r.i += len(lit)
				return nil
			}
		}
		return errJSON
	}
	return nil
}

// redactString records the edit of the string from start to r.i, a value
// of private member ns, unless it is "". Its placeholder keeps its form:
// well-formed, or decodable only leniently as the thumbprint decodes
// (padded, the base64 alphabet), or not decodable at all.
func (r *redactor) redactString(ns string, start int) {
	var s string
	if err := json.Unmarshal(r.b[start:r.i], &s); err != nil || s == "" {
		return
	}
	material, decodable := lenientBase64(s)
	class := "s:" + s
	if decodable {
		class = "b:" + string(material)
	}
	e := edit{start: start, end: r.i, ns: ns, class: class}
	switch {
	case isBase64url(s):
	case decodable:
		e.suffix = "=="
	default:
		e.suffix = "."
	}
	r.edits = append(r.edits, e)
}

// ordinal numbers the distinct values (classes) of private member ns in
// the body from 1, in body order; the edits ask in body order.
func (r *redactor) ordinal(ns, class string) int {
	if r.seen == nil {
		r.seen, r.count = map[string]int{}, map[string]int{}
	}
	k := ns + "\x00" + class
	n, ok := r.seen[k]
	if !ok {
		r.count[ns]++
		n = r.count[ns]
		r.seen[k] = n
	}
	return n
}

// placeholder is the n-th placeholder (from 1): Redacted, then the
// base64url of "redacted-by-oidc-conformance-<n>".
func placeholder(n int) string {
	if n == 1 {
		return Redacted
	}
	return base64.RawURLEncoding.EncodeToString([]byte("redacted-by-oidc-conformance-" + strconv.Itoa(n)))
}

// isBase64url reports whether s is unpadded base64url with no stray bits,
// as JWKS-003 requires.
func isBase64url(s string) bool {
	for _, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}

// lenientBase64 decodes s as the JWKS suite reads key material for a
// thumbprint: base64url or base64, padded or not.
func lenientBase64(s string) ([]byte, bool) {
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	return b, err == nil
}

// str scans the string at r.i: what encoding/json accepts (control
// characters and bad escapes are errors, invalid UTF-8 is not).
func (r *redactor) str() error {
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		return errJSON
	}
	for r.i++; r.i < len(r.b); {
		switch c := r.b[r.i]; {
		case c == '"':
			r.i++
			return nil
		case c < 0x20:
			return errJSON
		case c == '\\':
			if r.i+1 >= len(r.b) {
				return errJSON
			}
			switch r.b[r.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				r.i += 2
			case 'u':
				if r.i+6 > len(r.b) {
					return errJSON
				}
				for _, h := range r.b[r.i+2 : r.i+6] {
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return errJSON
					}
				}
				r.i += 6
			default:
				return errJSON
			}
		default:
			r.i++
		}
	}
	return errJSON
}

// number scans the number at r.i (RFC 8259 §6).
func (r *redactor) number() error {
	digits := func() int {
		n := 0
		for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	if r.b[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(r.b) && r.b[r.i] == '0':
		r.i++
	case digits() == 0:
		return errJSON
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return errJSON
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return errJSON
		}
	}
	return nil
}

// ws skips JSON whitespace.
func (r *redactor) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// decodeName is a member name as encoding/json reads it.
func decodeName(raw []byte) string {
	if !bytes.ContainsRune(raw, '\\') {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}
