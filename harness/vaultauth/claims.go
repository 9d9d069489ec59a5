package vaultauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Claims are a token's claims decoded as cap decodes them (encoding/json
// into a map: numbers are float64).
type Claims map[string]any

// ParseClaims decodes a token's claims as cap does.
func ParseClaims(raw json.RawMessage) (Claims, error) {
	var c Claims
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("vaultauth: claims: %w", err)
	}
	return c, nil
}

// Claim is the plugin's getClaim: name is a claim's name, or a JSON pointer
// when it starts with "/" ("/kubernetes.io/namespace"); a float becomes a
// json.Number of its integer part, as the plugin converts it. Nil: absent.
func (c Claims) Claim(name string) any {
	var v any
	if !strings.HasPrefix(name, "/") {
		v = c[name]
	} else {
		v = pointer(map[string]any(c), name)
	}
	if f, ok := v.(float64); ok {
		return json.Number(strconv.Itoa(int(f)))
	}
	return v
}

// pointer resolves the JSON pointer p (RFC 6901) in v as
// mitchellh/pointerstructure's Get does for decoded JSON: nil when a part
// is missing.
func pointer(v any, p string) any {
	for _, part := range strings.Split(p[1:], "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[part]
			if !ok {
				return nil
			}
			v = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// errUnboundAudience is the plugin's answer to a token with an aud when the
// role binds no audience.
var errUnboundAudience = errors.New("audience claim found in JWT but no audiences bound to the role")

// UnboundAudience is the plugin's check after cap: with no bound_audiences,
// a token that carries a non-empty aud is refused.
func (r *Role) UnboundAudience(c Claims) error {
	if len(r.BoundAudiences) > 0 {
		return nil
	}
	switch aud := c.Claim("aud").(type) {
	case []any:
		if len(aud) > 0 {
			return errUnboundAudience
		}
	case string:
		if aud != "" {
			return errUnboundAudience
		}
	}
	return nil
}

// User is the plugin's user claim (createIdentity): the alias name.
func (r *Role) User(c Claims) (string, error) {
	var raw any
	if r.UserClaimJSONPointer {
		raw = c.Claim(r.UserClaim)
	} else {
		raw = c[r.UserClaim]
	}
	if raw == nil {
		return "", fmt.Errorf("claim %q not found in token", r.UserClaim)
	}
	s, ok := raw.(string)
	if !ok {
		return "", fmt.Errorf("claim %q could not be converted to string", r.UserClaim)
	}
	return s, nil
}

// Metadata is the plugin's extractMetadata over claim_mappings: every
// mapped claim present must be a string.
func (r *Role) Metadata(c Claims) (map[string]string, error) {
	out := map[string]string{}
	for source, target := range r.ClaimMappings {
		if v := c.Claim(source); v != nil {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("error converting claim '%s' to string", source)
			}
			out[target] = s
		}
	}
	return out, nil
}

// Groups is the plugin's groups claim (createIdentity, fetchGroups): a
// string or a list of strings; nil without groups_claim.
func (r *Role) Groups(c Claims) ([]string, error) {
	if r.GroupsClaim == "" {
		return nil, nil
	}
	raw := c.Claim(r.GroupsClaim)
	if raw == nil {
		return nil, fmt.Errorf("failed to fetch groups: %q claim not found in token", r.GroupsClaim)
	}
	list, ok := normalizeList(raw)
	if !ok {
		return nil, fmt.Errorf("%q claim could not be converted to string list", r.GroupsClaim)
	}
	var out []string
	for _, g := range list {
		s, ok := g.(string)
		if !ok {
			return nil, fmt.Errorf("value %v in groups claim could not be parsed as string", g)
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// MatchBoundClaims is the plugin's validateBoundClaims: every bound claim is
// present and one of its values matches one of the token's (a list claim
// matches by any member), as strings compared exactly or, with
// bound_claims_type glob, as globs.
func (r *Role) MatchBoundClaims(c Claims) error {
	glob := r.BoundClaimsType == ClaimsGlob
	// In name order, so the first failure named is always the same one
	// (the plugin ranges over the map: any failing claim fails the login).
	for _, claim := range slices.Sorted(maps.Keys(r.BoundClaims)) {
		want := r.BoundClaims[claim]
		got := c.Claim(claim)
		if got == nil {
			return fmt.Errorf("claim %q is missing", claim)
		}
		gotVals, ok := normalizeList(got)
		if !ok {
			return fmt.Errorf("received claim is not a string, bool, int or list: %v", got)
		}
		wantVals, ok := normalizeList(want)
		if !ok {
			return fmt.Errorf("bound claim is not a string, bool, int or list: %v", want)
		}
		found, err := matchFound(wantVals, gotVals, glob)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("claim %q does not match any associated bound claim values", claim)
		}
	}
	return nil
}

// matchFound is the plugin's matchFound.
func matchFound(want, got []any, glob bool) (bool, error) {
	for _, w := range want {
		for _, g := range got {
			if glob {
				ws, ok := w.(string)
				if !ok {
					return false, fmt.Errorf("received claim is not a glob string: %v", w)
				}
				gs, ok := g.(string)
				if !ok || !Glob(ws, gs) {
					continue
				}
			} else if g != w {
				continue
			}
			return true, nil
		}
	}
	return false, nil
}

// normalizeList is the plugin's normalizeList: a string, bool or number is
// a list of one.
func normalizeList(raw any) ([]any, bool) {
	switch v := raw.(type) {
	case []any:
		return v, true
	case string, bool, json.Number:
		return []any{v}, true
	}
	return nil, false
}

// Glob is ryanuber/go-glob's Glob, which the plugin uses: "*" matches any
// run of characters, nothing else is special.
func Glob(pattern, subj string) bool {
	if pattern == "" {
		return subj == pattern
	}
	if pattern == "*" {
		return true
	}
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return subj == pattern
	}
	leading, trailing := strings.HasPrefix(pattern, "*"), strings.HasSuffix(pattern, "*")
	end := len(parts) - 1
	for i := 0; i < end; i++ {
		idx := strings.Index(subj, parts[i])
		switch {
		case i == 0 && !leading && idx != 0:
			return false
		case idx < 0:
			return false
		}
		subj = subj[idx+len(parts[i]):]
	}
	return trailing || strings.HasSuffix(subj, parts[end])
}
