// Package discovery judges an issuer's discovery document
// (/.well-known/openid-configuration) against OpenID Connect Discovery 1.0 and
// what AWS IAM and STS require: checks DISC-001 to DISC-013.
package discovery

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
)

// answer returns the final 200 answer of the discovery fetch, or a skip.
func answer(t *evidence.Target) (*evidence.Hop, *check.Finding) {
	h := t.Discovery.Final()
	if h == nil || h.Status != 200 || (t.Discovery.Err != "" && !h.Truncated) {
		f := check.Skip("no discovery document was served (see DISC-001)")
		return nil, &f
	}
	return h, nil
}

// Document parses the discovery document of t, or returns the finding that
// explains why there is none: a skip that points at DISC-001 or DISC-004.
func Document(t *evidence.Target) (map[string]json.RawMessage, *check.Finding) {
	h, skip := answer(t)
	if skip != nil {
		return nil, skip
	}
	doc, err := ParseObject(h.Body)
	if err != nil || h.Truncated {
		f := check.Skip("the discovery document is not a JSON object (see DISC-004)")
		return nil, &f
	}
	return doc, nil
}

// ParseObject parses b as exactly one JSON object (no trailing data).
func ParseObject(b []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var doc map[string]json.RawMessage
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse json object: %w", fetch.DescribeBody(err, b))
	}
	if doc == nil {
		return nil, errors.New("parse json object: null is not an object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("parse json object: data after the object")
	}
	return doc, nil
}

// stringMember returns doc[name] as a string; ok is false when it is absent or
// not a string.
func stringMember(doc map[string]json.RawMessage, name string) (string, bool) {
	raw, ok := doc[name]
	if !ok {
		return "", false
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// stringsMember returns doc[name] as a list of strings; present is false when
// the member is absent, and err is set when it is not an array of strings.
func stringsMember(doc map[string]json.RawMessage, name string) (vals []string, present bool, err error) {
	raw, ok := doc[name]
	if !ok {
		return nil, false, nil
	}
	if err := json.Unmarshal(raw, &vals); err != nil || vals == nil {
		return nil, true, fmt.Errorf("%s is not an array of strings: %s", name, clip(raw, 80))
	}
	return vals, true, nil
}

// clip shortens b for a message.
func clip(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
