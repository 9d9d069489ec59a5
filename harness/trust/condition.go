package trust

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Base condition operators (Condition.Test).
const (
	StringEquals              = "StringEquals"
	StringNotEquals           = "StringNotEquals"
	StringEqualsIgnoreCase    = "StringEqualsIgnoreCase"
	StringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
	StringLike                = "StringLike"
	StringNotLike             = "StringNotLike"
	Null                      = "Null"
)

// Set-operator prefixes (Condition.Set).
const (
	ForAnyValue  = "ForAnyValue"
	ForAllValues = "ForAllValues"
)

// tests are the base operators, by lower-cased name.
var tests = func() map[string]string {
	m := map[string]string{}
	for _, t := range []string{StringEquals, StringNotEquals, StringEqualsIgnoreCase,
		StringNotEqualsIgnoreCase, StringLike, StringNotLike, Null} {
		m[strings.ToLower(t)] = t
	}
	return m
}()

// negated reports whether test is one of the String...Not... operators,
// which hold when no value matches.
func negated(test string) bool { return strings.Contains(test, "Not") }

// parseConditions parses a Condition element into its conditions, in
// document order.
func parseConditions(path string, raw json.RawMessage, variables bool) ([]Condition, error) {
	blocks, err := decodeObject(raw, true)
	if err != nil {
		return nil, malformed(path, "%v", err)
	}
	var out []Condition
	for _, b := range blocks {
		at := path + "." + b.name
		op, err := parseOperator(at, b.name)
		if err != nil {
			return nil, err
		}
		keys, err := decodeObject(b.value, true)
		if err != nil {
			return nil, malformed(at, "%v", err)
		}
		if len(keys) == 0 {
			return nil, malformed(at, "no condition keys")
		}
		for _, k := range keys {
			c := op
			if err := c.parseKey(at, k.name); err != nil {
				return nil, err
			}
			if err := c.parseValues(at+"."+k.name, k.value, variables); err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// parseOperator parses an operator name such as "ForAnyValue:StringLikeIfExists".
// Names are matched without regard to case.
func parseOperator(path, name string) (Condition, error) {
	c := Condition{Operator: name}
	base := name
	if prefix, rest, ok := strings.Cut(name, ":"); ok {
		switch {
		case strings.EqualFold(prefix, ForAnyValue):
			c.Set = ForAnyValue
		case strings.EqualFold(prefix, ForAllValues):
			c.Set = ForAllValues
		default:
			return c, unsupported(path, "unknown set operator %q (want ForAnyValue or ForAllValues)", prefix)
		}
		base = rest
	}
	if len(base) > len("IfExists") && strings.EqualFold(base[len(base)-len("IfExists"):], "IfExists") {
		c.IfExists = true
		base = base[:len(base)-len("IfExists")]
	}
	test, ok := tests[strings.ToLower(base)]
	if !ok {
		return c, unsupported(path, "condition operator %q is not supported (supported: StringEquals, StringNotEquals, "+
			"StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike, Null, "+
			"with ForAnyValue:/ForAllValues: and IfExists)", name)
	}
	c.Test = test
	if test == Null && (c.IfExists || c.Set != "") {
		return c, malformed(path, "Null takes neither a set operator nor IfExists")
	}
	return c, nil
}

// parseKey fills Key, Provider and Claim from a condition key.
func (c *Condition) parseKey(path, key string) error {
	c.Key = key
	i := strings.LastIndex(key, ":")
	if i <= 0 {
		return unsupported(path, "condition key %q is not <provider>:<claim> (web identity keys are "+
			"<provider>:aud, :sub, :amr and :azp)", key)
	}
	c.Provider, c.Claim = key[:i], strings.ToLower(key[i+1:])
	if c.Claim == "" {
		return unsupported(path, "condition key %q names no claim after its colon", key)
	}
	switch strings.ToLower(c.Provider) {
	case "aws", "sts", "iam", "saml":
		return unsupported(path, "condition key %q is a global or service key, which this evaluator does not know the "+
			"value of (web identity keys are <provider>:<claim>, e.g. <provider>:aud and :sub)", key)
	}
	// Which claims STS fills depends on the provider (CheckKey): a key it
	// does not fill is absent from the request, which Evaluate handles.
	return nil
}

// parseValues fills Values. variables says whether ${...} is a policy variable.
func (c *Condition) parseValues(path string, raw json.RawMessage, variables bool) error {
	values, err := scalarOrList(raw)
	if err != nil {
		return malformed(path, "%v", err)
	}
	for _, v := range values {
		if c.Test == Null {
			if v != "true" && v != "false" {
				return malformed(path, "Null takes \"true\" or \"false\", got %q", v)
			}
			continue
		}
		if variables && strings.Contains(v, "${") {
			return unsupported(path, "policy variables such as %q are not supported", v)
		}
	}
	c.Values = values
	return nil
}

// String renders the condition as policy JSON would show it, e.g.
// StringEquals "host:sub" ["a","b"].
func (c Condition) String() string {
	return fmt.Sprintf("%s %q %s", c.Operator, c.Key, quoteList(c.Values))
}

// quoteList renders values as "a" or ["a", "b"].
func quoteList(values []string) string {
	if len(values) == 1 {
		return fmt.Sprintf("%q", values[0])
	}
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
