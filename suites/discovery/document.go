// Package discovery judges an issuer's discovery document
// (/.well-known/openid-configuration) against OpenID Connect Discovery 1.0 and
// what AWS IAM and STS require: checks DISC-001 to DISC-015.
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

// answer returns the final 200 answer of the discovery fetch, or nil when
// there is none: DISC-001 failed.
func answer(t *evidence.Target) *evidence.Hop {
	h := t.Discovery.Final()
	if h == nil || h.Status != 200 || (t.Discovery.Err != "" && !h.Truncated) {
		return nil
	}
	return h
}

// Document parses the discovery document of t; ok is false when there is
// none to judge: DISC-001 or DISC-004 failed.
func Document(t *evidence.Target) (doc map[string]json.RawMessage, ok bool) {
	h := answer(t)
	if h == nil || h.Truncated {
		return nil, false
	}
	doc, err := ParseObject(h.Body)
	return doc, err == nil
}

// The prerequisites of the judges that read the answer (DISC-001) or the
// document (DISC-004); the catalog declares them, and the adapters below
// return the same root when a judge is called without the runner.
var (
	needsAnswer   = []string{"DISC-001"}
	needsDocument = []string{"DISC-004"}
)

// withAnswer adapts a judge of the served answer: the runner calls it only
// when DISC-001 passed.
func withAnswer(judge func(*evidence.Target, *evidence.Hop) check.Finding) check.Judge {
	return func(t *evidence.Target) check.Finding {
		h := answer(t)
		if h == nil {
			return check.Blocked("DISC-001")
		}
		return judge(t, h)
	}
}

// withDocument adapts a judge of the parsed document: the runner calls it
// only when DISC-004 (and so DISC-001) passed.
func withDocument(judge func(*evidence.Target, map[string]json.RawMessage) check.Finding) check.Judge {
	return func(t *evidence.Target) check.Finding {
		if answer(t) == nil {
			return check.Blocked("DISC-001")
		}
		doc, ok := Document(t)
		if !ok {
			return check.Blocked("DISC-004")
		}
		return judge(t, doc)
	}
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
