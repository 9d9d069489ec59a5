package stsrules

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Claims through which a web identity token asks STS for session tags and a
// source identity (IAM User Guide, id_session-tags and
// id_credentials_temp_control-access_monitor).
const (
	ClaimSessionTags    = "https://aws.amazon.com/tags"
	ClaimSourceIdentity = "https://aws.amazon.com/source_identity"
)

// The actions a trust policy must allow besides sts:AssumeRoleWithWebIdentity
// for a token carrying session tags or a source identity ("or the
// operation fails").
const (
	ActionTagSession        = "sts:TagSession"
	ActionSetSourceIdentity = "sts:SetSourceIdentity"
)

// STS's limits on session tags.
const (
	MaxSessionTags  = 50
	MaxTagKeyLength = 128
	MaxTagValueLen  = 256
)

// sourceIdentityPattern is a source identity: 2 to 64 of [A-Za-z0-9_.,+=@-].
var sourceIdentityPattern = regexp.MustCompile(`^[A-Za-z0-9_.,+=@-]{2,64}$`)

// SessionClaims are the session tags and source identity a token asks for.
type SessionClaims struct {
	// Tags are the principal tags, one value each, by key.
	Tags map[string]string
	// Transitive are the transitive tag keys.
	Transitive []string
	// SourceIdentity is the source identity; HasSourceIdentity says whether
	// the claim is present.
	SourceIdentity    string
	HasSourceIdentity bool
	// HasTags says whether the tags claim is present.
	HasTags bool
}

// Actions returns the actions the trust policy must also allow for these
// claims: sts:TagSession for tags, sts:SetSourceIdentity for a source identity.
func (s SessionClaims) Actions() []string {
	var out []string
	if s.HasTags {
		out = append(out, ActionTagSession)
	}
	if s.HasSourceIdentity {
		out = append(out, ActionSetSourceIdentity)
	}
	return out
}

// ReadSessionClaims reads and checks the session-tag and source-identity
// claims of a token's claim set (JSON): principal_tags an object of keys to
// one-element lists, at most 50 tags, keys up to 128 characters, values up
// to 256, transitive_tag_keys among them; a source identity of 2 to 64
// characters of [A-Za-z0-9_.,+=@-] not starting "aws:". Too many or too
// large tags are RuleSessionTagsSize (PackedPolicyTooLarge); the other
// faults RuleSessionTags and RuleSourceIdentity (InvalidIdentityToken; STS's
// exact message for them is unconfirmed).
func ReadSessionClaims(claims []byte) (SessionClaims, *Error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(claims, &raw); err != nil {
		return SessionClaims{}, refusef(RuleSessionTags, "The token's claims are not a JSON object")
	}
	return SessionClaimsOf(raw)
}

// SessionClaimsOf is ReadSessionClaims over claims already decoded (a
// verified Identity's Claims).
func SessionClaimsOf(raw Claims) (SessionClaims, *Error) {
	var s SessionClaims
	if v, ok := raw[ClaimSourceIdentity]; ok {
		s.HasSourceIdentity = true
		if err := json.Unmarshal(v, &s.SourceIdentity); err != nil {
			return s, refusef(RuleSourceIdentity, "The %s claim is not a string", ClaimSourceIdentity)
		}
		if !sourceIdentityPattern.MatchString(s.SourceIdentity) || strings.HasPrefix(strings.ToLower(s.SourceIdentity), "aws:") {
			return s, refusef(RuleSourceIdentity, "The source identity %q is not 2 to 64 characters of [A-Za-z0-9_.,+=@-] not starting aws:", clipped(s.SourceIdentity))
		}
	}
	v, ok := raw[ClaimSessionTags]
	if !ok {
		return s, nil
	}
	s.HasTags = true
	var tags struct {
		Principal  map[string]json.RawMessage `json:"principal_tags"`
		Transitive []string                   `json:"transitive_tag_keys"`
	}
	if err := json.Unmarshal(v, &tags); err != nil {
		return s, refusef(RuleSessionTags, "The %s claim is not an object with principal_tags and transitive_tag_keys: %v", ClaimSessionTags, err)
	}
	if len(tags.Principal) > MaxSessionTags {
		return s, refusef(RuleSessionTagsSize, "%d session tags, more than the %d STS allows", len(tags.Principal), MaxSessionTags)
	}
	s.Tags = map[string]string{}
	keys := make([]string, 0, len(tags.Principal))
	for k := range tags.Principal {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var vals []string
		if err := json.Unmarshal(tags.Principal[k], &vals); err != nil || len(vals) != 1 {
			return s, refusef(RuleSessionTags, "Session tag %q must have exactly one value, as a one-element list", clipped(k))
		}
		switch {
		case len(k) == 0 || len(k) > MaxTagKeyLength:
			return s, refusef(RuleSessionTagsSize, "Session tag key %q is %d characters; STS takes 1 to %d", clipped(k), len(k), MaxTagKeyLength)
		case len(vals[0]) > MaxTagValueLen:
			return s, refusef(RuleSessionTagsSize, "Session tag %q has a %d-character value; STS takes at most %d", clipped(k), len(vals[0]), MaxTagValueLen)
		}
		s.Tags[k] = vals[0]
	}
	for _, k := range tags.Transitive {
		if _, ok := s.Tags[k]; !ok {
			return s, refusef(RuleSessionTags, "Transitive tag key %q is not among the principal tags", clipped(k))
		}
	}
	s.Transitive = tags.Transitive
	return s, nil
}

// clipped shortens s for a message.
func clipped(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// SessionActions is RuleSessionActions: the trust policy allows every action
// the session claims need; allowed says whether it allows one.
func (s SessionClaims) SessionActions(allowed func(action string) (bool, string)) *Error {
	for _, action := range s.Actions() {
		if ok, why := allowed(action); !ok {
			return refuse(RuleSessionActions, "", fmt.Errorf("the token asks for %s and the trust policy does not allow it: %s", action, why))
		}
	}
	return nil
}
