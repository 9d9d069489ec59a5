package stsrules

import "encoding/json"

// JSONString decodes raw as one JSON string exactly as json.Unmarshal into
// a string does (ok false when raw is not one), without its reflection and
// allocations for the common case: printable ASCII without escapes, taken
// as it stands. Anything else (escapes, control or non-ASCII bytes, white
// space around it, another type) goes through json.Unmarshal.
func JSONString(raw []byte) (s string, ok bool) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && plainASCII(raw[1:n-1]) {
		return commonValue(raw[1 : n-1]), true
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

// jsonStrings decodes raw as an array of strings exactly as json.Unmarshal
// into a nil []string does (ok false when it is not one), without its
// reflection for the common case: the strings printable ASCII without
// escapes, JSON white space between the tokens only. Anything else goes
// through json.Unmarshal.
func jsonStrings(raw []byte) (values []string, ok bool) {
	if values, ok := plainStrings(raw); ok {
		return values, true
	}
	if !isKind(raw, '[') || json.Unmarshal(raw, &values) != nil {
		return nil, false
	}
	return values, true
}

// plainStrings is jsonStrings' common case; ok false sends raw to
// json.Unmarshal.
func plainStrings(raw []byte) ([]string, bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil, false
	}
	values := []string{}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		return values, skipSpace(raw, i+1) == len(raw)
	}
	for i < len(raw) && raw[i] == '"' {
		j := i + 1
		for j < len(raw) && raw[j] != '"' {
			if c := raw[j]; c < 0x20 || c > 0x7e || c == '\\' {
				return nil, false
			}
			j++
		}
		if j >= len(raw) {
			return nil, false
		}
		values = append(values, string(raw[i+1:j]))
		i = skipSpace(raw, j+1)
		if i >= len(raw) {
			return nil, false
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case ']':
			return values, skipSpace(raw, i+1) == len(raw)
		default:
			return nil, false
		}
	}
	return nil, false
}

// commonValue is string(b), without a copy for the values most tokens'
// headers and claims hold.
func commonValue(b []byte) string {
	switch string(b) {
	case "RS256":
		return "RS256"
	case "ES256":
		return "ES256"
	case "JWT":
		return "JWT"
	case "sts.amazonaws.com":
		return "sts.amazonaws.com"
	}
	return string(b)
}
