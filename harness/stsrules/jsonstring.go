package stsrules

import "encoding/json"

// JSONString decodes raw as one JSON string exactly as json.Unmarshal into
// a string does (ok false when raw is not one), without its reflection and
// allocations for the common case: printable ASCII without escapes, taken
// as it stands. Anything else (escapes, control or non-ASCII bytes, white
// space around it, another type) goes through json.Unmarshal.
func JSONString(raw []byte) (s string, ok bool) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && plainASCII(raw[1:n-1]) {
		return string(raw[1 : n-1]), true
	}
	if !isKind(raw, '"') {
		return "", false
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// plainASCII reports whether b is printable ASCII with no quote or backslash:
// bytes a JSON string holds as themselves.
func plainASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
