package trust

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// member is one name/value pair of a JSON object, in document order.
type member struct {
	name  string
	value json.RawMessage
}

// decodeObject decodes a JSON object into its members in document order. A
// duplicate name is an error (encoding/json would silently keep the last one,
// which could drop a condition); so is anything after the object. With fold,
// names differing only in case count as duplicates.
func decodeObject(data []byte, fold bool) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("want a JSON object, got %s", describe(tok))
	}
	var members []member
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", err)
		}
		name, _ := tok.(string) // object keys are always strings
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("invalid JSON in %q: %w", name, err)
		}
		key := name
		if fold {
			key = strings.ToLower(name)
		}
		if seen[key] {
			return nil, fmt.Errorf("%q appears twice", name)
		}
		seen[key] = true
		members = append(members, member{name: name, value: value})
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: data after the object")
	}
	return members, nil
}

// describe names the JSON kind of a decoder token, for error messages.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

// kind returns the JSON kind of raw: "object", "array", "string", "number",
// "boolean" or "null".
func kind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// stringOrList decodes a string or a non-empty array of strings.
func stringOrList(raw json.RawMessage) ([]string, error) {
	switch kind(raw) {
	case "string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("invalid string: %w", err)
		}
		return []string{s}, nil
	case "array":
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("invalid array: %w", err)
		}
		if len(list) == 0 {
			return nil, errors.New("empty array")
		}
		out := make([]string, 0, len(list))
		for i, item := range list {
			if k := kind(item); k != "string" {
				return nil, fmt.Errorf("item %d is %s, want a string", i, article(k))
			}
			var s string
			if err := json.Unmarshal(item, &s); err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a string or an array of strings, got %s", article(kind(raw)))
}

// scalarOrList decodes a condition's values: a string, number or boolean, or
// a non-empty array of them, each as its text (IAM compares numbers and
// booleans in string conditions by their text).
func scalarOrList(raw json.RawMessage) ([]string, error) {
	items := []json.RawMessage{raw}
	if kind(raw) == "array" {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("invalid array: %w", err)
		}
		if len(items) == 0 {
			return nil, errors.New("empty array of values")
		}
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		switch k := kind(item); k {
		case "string":
			var s string
			if err := json.Unmarshal(item, &s); err != nil {
				return nil, fmt.Errorf("invalid string: %w", err)
			}
			out = append(out, s)
		case "number", "boolean":
			out = append(out, string(bytes.TrimSpace(item)))
		default:
			return nil, fmt.Errorf("a value is %s, want a string, number or boolean", article(k))
		}
	}
	return out, nil
}

// article prefixes a JSON kind with "a" or "an" ("null" stays bare).
func article(k string) string {
	switch k {
	case "null", "nothing":
		return k
	case "object", "array":
		return "an " + k
	}
	return "a " + k
}
