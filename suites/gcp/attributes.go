package gcp

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Mapped is what the attribute mapping made of a token: the google.* and
// attribute.* values by their short names, as the condition reads them.
type Mapped struct {
	Google    map[string]any
	Attribute map[string]any
}

// mappingError is a mapping GCP refuses for this token, with its message.
type mappingError struct {
	msg string
	// cause is the evaluation's error, when that is why.
	cause error
}

func (e *mappingError) Error() string { return e.msg }

// Unwrap is the evaluation's error (errCost when a bound stopped it).
func (e *mappingError) Unwrap() error { return e.cause }

// assertionOf decodes the token's claims as the mapping's assertion.
func assertionOf(claims json.RawMessage) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(claims, &m); err != nil {
		return nil, fmt.Errorf("the claims are not a JSON object: %w", err)
	}
	return m, nil
}

// Map evaluates the attribute mapping over the token's claims and applies
// GCP's limits on the results: google.subject a string of at most 127
// bytes, every value a string or a list of strings, all of them together at
// most 8 KB.
func (p *Provider) Map(ctx context.Context, assertion map[string]any) (Mapped, error) {
	out := Mapped{Google: map[string]any{}, Attribute: map[string]any{}}
	total := 0
	for _, k := range slices.Sorted(maps.Keys(p.mapping)) {
		v, err := p.mapping[k].eval(ctx, map[string]any{varAssertion: assertion})
		if err != nil {
			return out, &mappingError{msg: fmt.Sprintf("attributeMapping %s (%s) does not evaluate on this token: %v", k, clip(p.mapping[k].src, 80), err), cause: err}
		}
		size, err := mappedSize(k, v)
		if err != nil {
			return out, err
		}
		if k == subjectKey && size > maxSubjectBytes {
			return out, &mappingError{msg: fmt.Sprintf("google.subject is %d bytes, over 127: GCP answers \"The size of mapped attribute exceeds the 127 bytes limit.\"", size)}
		}
		total += size
		if short, ok := strings.CutPrefix(k, "google."); ok {
			out.Google[short] = v
		} else {
			out.Attribute[strings.TrimPrefix(k, "attribute.")] = v
		}
	}
	if total > maxMappedBytes {
		return out, &mappingError{msg: fmt.Sprintf("the mapped attributes are %d bytes together, over GCP's 8 KB", total)}
	}
	return out, nil
}

// mappedSize is the size of one mapped value, which must be a string (a
// list of strings for a custom attribute or google.groups).
func mappedSize(key string, v any) (int, error) {
	switch x := v.(type) {
	case string:
		return len(x), nil
	case []any:
		if key == subjectKey {
			break
		}
		n := 0
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return 0, &mappingError{msg: fmt.Sprintf("attributeMapping %s yields a list holding %s, not only strings", key, kind(e))}
			}
			n += len(s)
		}
		return n, nil
	}
	return 0, &mappingError{msg: fmt.Sprintf("attributeMapping %s yields %s, not a string", key, kind(v))}
}

// kind names a value's JSON kind for a message.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("a %T", v)
}

// conditionRefused is GCP's answer when the attribute condition is false.
const conditionRefused = `unauthorized_client: "The given credential is rejected by the attribute condition."`

// Admit evaluates the attribute condition over the assertion and the
// mapped attributes: nil when it is true (or there is none).
func (p *Provider) Admit(ctx context.Context, assertion map[string]any, m Mapped) error {
	if p.condition == nil {
		return nil
	}
	v, err := p.condition.eval(ctx, map[string]any{varAssertion: assertion, varGoogle: m.Google, varAttribute: m.Attribute})
	if err != nil {
		return fmt.Errorf("attributeCondition does not evaluate on this token (%w): GCP admits only a credential for which it is true, %s", err, conditionRefused)
	}
	if ok, isBool := v.(bool); !isBool || !ok {
		return fmt.Errorf("attributeCondition is %v for this token: GCP answers %s", v, conditionRefused)
	}
	return nil
}
