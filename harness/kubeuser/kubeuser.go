// Package kubeuser holds kube-apiserver's rules for turning a verified
// token's claims into a Kubernetes user (k8s.io/apiserver
// plugin/pkg/authenticator/token/oidc, v0.37): the username claim and its
// prefix, email_verified, the groups claim, the required claims, the
// audiences and the signing algorithms. The EKS cluster login and the
// Kubernetes JWT authenticator relying parties both judge with them, since
// EKS runs that authenticator.
package kubeuser

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Algorithms are the signing algorithms kube-apiserver accepts with
// --authentication-config (oidc.AllValidSigningAlgorithms).
var Algorithms = []string{"ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"}

// Claims is a token's decoded claims.
type Claims map[string]json.RawMessage

// ParseClaims decodes one JSON object.
func ParseClaims(b []byte) (Claims, error) {
	var c Claims
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("kubeuser: claims: %w", err)
	}
	if c == nil {
		return nil, errors.New("kubeuser: claims are not a JSON object")
	}
	return c, nil
}

// Has reports whether claim name is present.
func (c Claims) Has(name string) bool {
	_, ok := c[name]
	return ok
}

// String returns claim name as a string; ok is false when it is absent or
// not a string.
func (c Claims) String(name string) (s string, ok bool) {
	raw, present := c[name]
	if !present || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// Mapping is how a token's claims map to a user.
type Mapping struct {
	// UsernameClaim is the claim holding the username.
	UsernameClaim string
	// UsernamePrefix is prepended to it ("" or nil: none).
	UsernamePrefix *string
	// GroupsClaim is the claim holding the groups ("": no groups).
	GroupsClaim string
	// GroupsPrefix is prepended to each group.
	GroupsPrefix *string
	// Required are claims that must be present with exactly these values.
	Required map[string]string
}

// Username is the username kube-apiserver computes from c, or its error
// (the claim absent or not a string). It does not apply email_verified: see
// EmailVerified.
func (m Mapping) Username(c Claims) (string, error) {
	raw, ok := c[m.UsernameClaim]
	if !ok {
		return "", fmt.Errorf("the username claim %q is not in the token", m.UsernameClaim)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("the username claim %q is not a string: %s", m.UsernameClaim, clip(raw))
	}
	return prefixed(m.UsernamePrefix, s), nil
}

// EmailVerified applies kube-apiserver's rule for a username claim of
// email: when email_verified is present it must be the boolean true.
func (m Mapping) EmailVerified(c Claims) error {
	if m.UsernameClaim != "email" {
		return nil
	}
	raw, ok := c["email_verified"]
	if !ok {
		return nil
	}
	var v bool
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("email_verified is not a boolean: %s", clip(raw))
	}
	if !v {
		return errors.New("email_verified is false (kube-apiserver: \"oidc: email not verified\")")
	}
	return nil
}

// Groups are the groups kube-apiserver computes from c: the groups claim, a
// string or an array of strings, each prefixed; none when the claim is not
// configured or absent.
func (m Mapping) Groups(c Claims) ([]string, error) {
	if m.GroupsClaim == "" {
		return nil, nil
	}
	raw, ok := c[m.GroupsClaim]
	if !ok {
		return nil, nil
	}
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{prefixed(m.GroupsPrefix, one)}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil, fmt.Errorf("the groups claim %q is neither a string nor an array of strings: %s", m.GroupsClaim, clip(raw))
	}
	for i := range list {
		list[i] = prefixed(m.GroupsPrefix, list[i])
	}
	return list, nil
}

// RequiredClaims reports the first required claim, by name, that is absent
// or has another value (only string values can match, as in kube-apiserver).
func (m Mapping) RequiredClaims(c Claims) error {
	names := make([]string, 0, len(m.Required))
	for k := range m.Required {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		raw, ok := c[k]
		if !ok {
			return fmt.Errorf("required claim %s is not in the token", k)
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("required claim %s is not a string: %s", k, clip(raw))
		}
		if s != m.Required[k] {
			return fmt.Errorf("required claim %s is %q, want %q", k, s, m.Required[k])
		}
	}
	return nil
}

// Audiences reports whether the token's aud (a string or an array) holds
// one of want (audienceMatchPolicy MatchAny).
func Audiences(c Claims, want []string) error {
	raw, ok := c["aud"]
	if !ok {
		return errors.New("the token has no aud")
	}
	var auds []string
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		auds = []string{one}
	} else if err := json.Unmarshal(raw, &auds); err != nil {
		return fmt.Errorf("aud is neither a string nor an array of strings: %s", clip(raw))
	}
	for _, a := range auds {
		if slices.Contains(want, a) {
			return nil
		}
	}
	return fmt.Errorf("aud %q holds none of the audiences %q", auds, want)
}

// Login describes a user as the report shows it.
func Login(user string, groups []string) string {
	return fmt.Sprintf("user %q, groups [%s]", user, strings.Join(groups, ", "))
}

// prefixed is s with prefix p (nil or "": none).
func prefixed(p *string, s string) string {
	if p == nil {
		return s
	}
	return *p + s
}

// clip shows at most 40 bytes of a claim's JSON.
func clip(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
