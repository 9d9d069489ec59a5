package trust

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Policy language versions IAM accepts.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Parse parses a trust policy. It accepts the bare policy document, the
// output of `aws iam get-role` ({"Role": {"AssumeRolePolicyDocument": ...}}),
// a bare {"AssumeRolePolicyDocument": ...}, and the URL-encoded form the IAM
// API returns, for the whole input or for the AssumeRolePolicyDocument
// string. Errors are *ParseError.
func Parse(data []byte) (*Policy, error) {
	doc, err := unwrap(data, 0)
	if err != nil {
		return nil, err
	}
	return parseDocument(doc)
}

// maxUnwrap bounds the nesting of wrappers and encodings unwrap follows.
const maxUnwrap = 4

// unwrap returns the policy document inside data: it URL-decodes an encoded
// document and descends into the get-role wrappers.
func unwrap(data []byte, depth int) ([]byte, error) {
	if depth > maxUnwrap {
		return nil, malformed("", "too many nested wrappers or encodings")
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '%' {
		dec, err := url.PathUnescape(string(data))
		if err != nil {
			return nil, malformed("", "URL-encoded document does not decode: %v", err)
		}
		return unwrap([]byte(dec), depth+1)
	}
	members, err := decodeObject(data, false)
	if err != nil {
		return nil, malformed("", "%v", err)
	}
	inner, path := wrapped(members)
	if inner == nil {
		return data, nil
	}
	switch kind(inner) {
	case "object":
		return unwrap(inner, depth+1)
	case "string":
		var s string
		if err := json.Unmarshal(inner, &s); err != nil {
			return nil, malformed(path, "invalid string: %v", err)
		}
		return unwrap([]byte(s), depth+1)
	}
	return nil, malformed(path, "want an object or a string, got %s", article(kind(inner)))
}

// wrapped returns the value of AssumeRolePolicyDocument when members are a
// get-role wrapper ({"Role": {...}} or {"AssumeRolePolicyDocument": ...}),
// with its path; nil when they are not a wrapper.
func wrapped(members []member) (json.RawMessage, string) {
	if len(members) == 0 {
		return nil, ""
	}
	for _, m := range members {
		if m.name == "AssumeRolePolicyDocument" {
			return m.value, "AssumeRolePolicyDocument"
		}
	}
	if len(members) == 1 && members[0].name == "Role" && kind(members[0].value) == "object" {
		role, err := decodeObject(members[0].value, false)
		if err != nil {
			return nil, ""
		}
		for _, m := range role {
			if m.name == "AssumeRolePolicyDocument" {
				return m.value, "Role.AssumeRolePolicyDocument"
			}
		}
	}
	return nil, ""
}

// parseDocument parses the policy document proper.
func parseDocument(doc []byte) (*Policy, error) {
	members, err := decodeObject(doc, false)
	if err != nil {
		return nil, malformed("", "%v", err)
	}
	p := &Policy{}
	var statements json.RawMessage
	for _, m := range members {
		switch m.name {
		case "Version":
			if kind(m.value) != "string" {
				return nil, malformed("Version", "want a string, got %s", article(kind(m.value)))
			}
			_ = json.Unmarshal(m.value, &p.Version)
			if p.Version != Version2012 && p.Version != Version2008 {
				return nil, malformed("Version", "%q is not a policy language version (want %q)", p.Version, Version2012)
			}
		case "Id":
			if kind(m.value) != "string" {
				return nil, malformed("Id", "want a string, got %s", article(kind(m.value)))
			}
		case "Statement":
			statements = m.value
		default:
			return nil, malformed("", "unknown member %q%s (a policy has Version, Id and Statement)", m.name, suggest(m.name, "Version", "Id", "Statement"))
		}
	}
	if statements == nil {
		return nil, malformed("", "no Statement")
	}
	list := []json.RawMessage{statements}
	switch kind(statements) {
	case "object":
	case "array":
		if err := json.Unmarshal(statements, &list); err != nil {
			return nil, malformed("Statement", "invalid array: %v", err)
		}
		if len(list) == 0 {
			return nil, malformed("Statement", "empty array")
		}
	default:
		return nil, malformed("Statement", "want an object or an array of objects, got %s", article(kind(statements)))
	}
	for i, raw := range list {
		st, err := parseStatement(fmt.Sprintf("Statement[%d]", i), raw, p.Version == Version2012)
		if err != nil {
			return nil, err
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

// parseStatement parses one statement. variables says whether ${...} in a
// value is a policy variable (policy language 2012-10-17).
func parseStatement(path string, raw json.RawMessage, variables bool) (Statement, error) {
	var st Statement
	members, err := decodeObject(raw, false)
	if err != nil {
		return st, malformed(path, "%v", err)
	}
	var hasEffect, hasPrincipal, hasAction bool
	for _, m := range members {
		at := path + "." + m.name
		switch m.name {
		case "Sid":
			if kind(m.value) != "string" {
				return st, malformed(at, "want a string, got %s", article(kind(m.value)))
			}
			_ = json.Unmarshal(m.value, &st.Sid)
		case "Effect":
			var e string
			if kind(m.value) != "string" || json.Unmarshal(m.value, &e) != nil || (e != string(Allow) && e != string(Deny)) {
				return st, malformed(at, "want \"Allow\" or \"Deny\", got %s", m.value)
			}
			st.Effect, hasEffect = Effect(e), true
		case "Principal":
			if st.Principal, err = parsePrincipal(at, m.value); err != nil {
				return st, err
			}
			hasPrincipal = true
		case "Action":
			if st.Actions, err = stringOrList(m.value); err != nil {
				return st, malformed(at, "%v", err)
			}
			hasAction = true
		case "Condition":
			if st.Conditions, err = parseConditions(at, m.value, variables); err != nil {
				return st, err
			}
		case "NotPrincipal", "NotAction":
			return st, unsupported(at, "%s is not supported; list the principals and actions the statement covers instead", m.name)
		case "Resource", "NotResource":
			return st, malformed(at, "a trust policy has no %s (IAM: \"Has prohibited field %s\")", m.name, m.name)
		default:
			return st, malformed(path, "unknown member %q%s", m.name,
				suggest(m.name, "Sid", "Effect", "Principal", "Action", "Condition"))
		}
	}
	switch {
	case !hasEffect:
		return st, malformed(path, "no Effect")
	case !hasPrincipal:
		return st, malformed(path, "no Principal (a trust policy statement needs one)")
	case !hasAction:
		return st, malformed(path, "no Action")
	}
	return st, nil
}

// parsePrincipal parses a Principal element: "*" or an object of principal
// types.
func parsePrincipal(path string, raw json.RawMessage) (Principal, error) {
	var p Principal
	if kind(raw) == "string" {
		var s string
		_ = json.Unmarshal(raw, &s)
		if s != "*" {
			return p, malformed(path, "want \"*\" or an object such as {\"Federated\": \"<provider ARN>\"}, got %q", s)
		}
		p.Everyone = true
		return p, nil
	}
	members, err := decodeObject(raw, false)
	if err != nil {
		return p, malformed(path, "%v", err)
	}
	if len(members) == 0 {
		return p, malformed(path, "empty Principal")
	}
	for _, m := range members {
		at := path + "." + m.name
		values, err := stringOrList(m.value)
		if err != nil {
			return p, malformed(at, "%v", err)
		}
		switch m.name {
		case "Federated":
			p.Federated = append(p.Federated, values...)
		case "AWS", "Service", "CanonicalUser":
			for _, v := range values {
				p.Others = append(p.Others, m.name+":"+v)
			}
		default:
			return p, malformed(path, "unknown principal type %q%s", m.name,
				suggest(m.name, "Federated", "AWS", "Service", "CanonicalUser"))
		}
	}
	return p, nil
}

// suggest returns ` (did you mean "X"?)` when name matches one of valid
// except for case or a plural s, else "".
func suggest(name string, valid ...string) string {
	for _, v := range valid {
		if strings.EqualFold(name, v) || strings.EqualFold(name, v+"s") || strings.EqualFold(name+"s", v) {
			return fmt.Sprintf(" (did you mean %q?)", v)
		}
	}
	return ""
}
