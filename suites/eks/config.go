package eks

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// Flags of the relying party's inputs.
const (
	FlagConfig         = "eks-config"
	FlagIssuerURL      = "eks-issuer-url"
	FlagClientID       = "eks-client-id"
	FlagUsernameClaim  = "eks-username-claim"
	FlagUsernamePrefix = "eks-username-prefix"
	FlagGroupsClaim    = "eks-groups-claim"
	FlagGroupsPrefix   = "eks-groups-prefix"
	FlagRequiredClaim  = "eks-required-claim"
)

var inputs = []relyingparty.Input{
	{Flag: FlagConfig, File: true, Usage: "eks-oidc-login: the JSON aws eks describe-identity-provider-config prints (or its oidc object)"},
	{Flag: FlagIssuerURL, Usage: "eks-oidc-login: issuerUrl (default: the config's, else the probed issuer)"},
	{Flag: FlagClientID, Usage: "eks-oidc-login: clientId (default: the config's, else --audience)"},
	{Flag: FlagUsernameClaim, Usage: "eks-oidc-login: usernameClaim (default: the config's, else sub)"},
	{Flag: FlagUsernamePrefix, Usage: "eks-oidc-login: usernamePrefix (\"-\": none; unset: issuerUrl# unless the claim is email)"},
	{Flag: FlagGroupsClaim, Usage: "eks-oidc-login: groupsClaim (default: the config's, else none)"},
	{Flag: FlagGroupsPrefix, Usage: "eks-oidc-login: groupsPrefix"},
	{Flag: FlagRequiredClaim, Repeatable: true, Usage: "eks-oidc-login: requiredClaims entry KEY=VALUE (repeatable; adds to the config's)"},
}

// Config is the identity provider configuration EKS holds
// (identityProviderConfig.oidc), with what was assumed for absent fields.
type Config struct {
	IssuerURL      string            `json:"issuerUrl"`
	ClientID       string            `json:"clientId"`
	UsernameClaim  string            `json:"usernameClaim"`
	UsernamePrefix *string           `json:"usernamePrefix"`
	GroupsClaim    string            `json:"groupsClaim"`
	GroupsPrefix   *string           `json:"groupsPrefix"`
	RequiredClaims map[string]string `json:"requiredClaims"`
	// Assumed says which fields were not given.
	Assumed []string `json:"-"`
}

// defaultAudience is the client ID of a run without a config or --audience.
const defaultAudience = "sts.amazonaws.com"

// configOf reads the target's EKS inputs: the file, then the flags over it,
// then defaults (noted in Assumed).
func configOf(in evidence.Input) (Config, error) {
	rp, _ := in.Party(Name)
	var c Config
	if f, ok := rp.Files[FlagConfig]; ok {
		var err error
		if c, err = parseConfig(f.Body); err != nil {
			return Config{}, fmt.Errorf("--%s %s: %w", FlagConfig, f.Path, err)
		}
	}
	for flag, field := range map[string]*string{
		FlagIssuerURL: &c.IssuerURL, FlagClientID: &c.ClientID, FlagUsernameClaim: &c.UsernameClaim, FlagGroupsClaim: &c.GroupsClaim,
	} {
		if v := rp.Value(flag); v != "" {
			*field = v
		}
	}
	for flag, field := range map[string]**string{FlagUsernamePrefix: &c.UsernamePrefix, FlagGroupsPrefix: &c.GroupsPrefix} {
		if v, ok := rp.Values[flag]; ok && len(v) > 0 {
			*field = &v[0]
		}
	}
	for _, kv := range rp.Values[FlagRequiredClaim] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return Config{}, fmt.Errorf("--%s %q: want KEY=VALUE", FlagRequiredClaim, kv)
		}
		if c.RequiredClaims == nil {
			c.RequiredClaims = map[string]string{}
		}
		c.RequiredClaims[k] = v
	}
	switch {
	case c.IssuerURL == "" && in.Issuer != "":
		c.IssuerURL = in.Issuer
		c.Assumed = append(c.Assumed, "issuerUrl: the probed issuer")
	case c.IssuerURL == "":
		c.Assumed = append(c.Assumed, "issuerUrl: unknown (not given, and no issuer to assume it from)")
	}
	if c.ClientID == "" {
		c.ClientID = in.Audience
		if c.ClientID == "" {
			c.ClientID = defaultAudience
		}
		c.Assumed = append(c.Assumed, "clientId: the expected audience "+c.ClientID)
	}
	if c.UsernameClaim == "" {
		c.UsernameClaim = "sub"
		c.Assumed = append(c.Assumed, "usernameClaim: sub (EKS's default)")
	}
	return c, nil
}

// parseConfig reads the output of aws eks describe-identity-provider-config,
// or its identityProviderConfig.oidc object alone.
func parseConfig(b []byte) (Config, error) {
	var doc struct {
		IdentityProviderConfig *struct {
			OIDC *json.RawMessage `json:"oidc"`
		} `json:"identityProviderConfig"`
		OIDC *json.RawMessage `json:"oidc"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return Config{}, fmt.Errorf("not JSON: %w", err)
	}
	raw := json.RawMessage(b)
	switch {
	case doc.IdentityProviderConfig != nil && doc.IdentityProviderConfig.OIDC != nil:
		raw = *doc.IdentityProviderConfig.OIDC
	case doc.OIDC != nil:
		raw = *doc.OIDC
	}
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return Config{}, fmt.Errorf("identityProviderConfig.oidc: %w", err)
	}
	if c.IssuerURL == "" || c.ClientID == "" {
		return Config{}, fmt.Errorf("identityProviderConfig.oidc has no issuerUrl or clientId (keys: %s)", strings.Join(slices.Sorted(maps.Keys(keys(raw))), ", "))
	}
	return c, nil
}

// keys are the member names of a JSON object, for an error message.
func keys(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	return m
}

// mapping is the claim mapping kube-apiserver builds from the provider's
// settings (its --oidc-* flags): without usernamePrefix, a username claim
// other than email gets issuerUrl + "#"; a prefix of "-" means none.
func (c Config) mapping() kubeuser.Mapping {
	prefix := c.UsernamePrefix
	switch {
	case prefix == nil && c.UsernameClaim != "email":
		p := c.IssuerURL + "#"
		prefix = &p
	case prefix != nil && *prefix == "-":
		prefix = nil
	}
	return kubeuser.Mapping{
		UsernameClaim: c.UsernameClaim, UsernamePrefix: prefix,
		GroupsClaim: c.GroupsClaim, GroupsPrefix: c.GroupsPrefix, Required: c.RequiredClaims,
	}
}
