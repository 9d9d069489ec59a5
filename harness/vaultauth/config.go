package vaultauth

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Config is the data of `vault read -format=json auth/<mount>/config`
// (the plugin's pathConfigRead), the members the jwt login reads.
type Config struct {
	OIDCDiscoveryURL     string   `json:"oidc_discovery_url"`
	OIDCDiscoveryCAPEM   string   `json:"oidc_discovery_ca_pem"`
	OIDCClientID         string   `json:"oidc_client_id"`
	JWKSURL              string   `json:"jwks_url"`
	JWKSCAPEM            string   `json:"jwks_ca_pem"`
	JWKSPairs            []any    `json:"jwks_pairs"`
	JWTValidationPubKeys []string `json:"jwt_validation_pubkeys"`
	JWTSupportedAlgs     []string `json:"jwt_supported_algs"`
	BoundIssuer          string   `json:"bound_issuer"`
	DefaultRole          string   `json:"default_role"`
}

// Role is the data of `vault read -format=json auth/<mount>/role/<name>`
// (the plugin's pathRoleRead); the leeways are in seconds, as it prints them.
type Role struct {
	RoleType             string            `json:"role_type"`
	BoundAudiences       []string          `json:"bound_audiences"`
	BoundSubject         string            `json:"bound_subject"`
	BoundClaimsType      string            `json:"bound_claims_type"`
	BoundClaims          map[string]any    `json:"bound_claims"`
	ClaimMappings        map[string]string `json:"claim_mappings"`
	UserClaim            string            `json:"user_claim"`
	UserClaimJSONPointer bool              `json:"user_claim_json_pointer"`
	GroupsClaim          string            `json:"groups_claim"`
	ClockSkewLeeway      int64             `json:"clock_skew_leeway"`
	ExpirationLeeway     int64             `json:"expiration_leeway"`
	NotBeforeLeeway      int64             `json:"not_before_leeway"`
	TokenBoundCIDRs      []string          `json:"token_bound_cidrs"`
}

// Bound-claims types of a role.
const (
	ClaimsString = "string"
	ClaimsGlob   = "glob"
)

// LoadConfig decodes what `vault read -format=json auth/<mount>/config`
// prints ({"data": {...}}) and validates it as Vault does on write.
func LoadConfig(body []byte) (*Config, error) {
	var c Config
	if err := decodeData(body, &c); err != nil {
		return nil, fmt.Errorf("vaultauth: config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// LoadRole decodes what `vault read -format=json auth/<mount>/role/<name>`
// prints and validates it as Vault does on write. bound_claims values keep
// their JSON numbers (json.Number), as Vault stores them.
func LoadRole(body []byte) (*Role, error) {
	var r Role
	if err := decodeData(body, &r); err != nil {
		return nil, fmt.Errorf("vaultauth: role: %w", err)
	}
	if r.BoundClaimsType == "" {
		r.BoundClaimsType = ClaimsString // the plugin's default on read
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// decodeData decodes the "data" member of a `vault read -format=json`
// answer into v; members Vault prints that the login does not read are
// ignored (a newer Vault prints more).
func decodeData(body []byte, v any) error {
	var wrap struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &wrap); err != nil {
		return fmt.Errorf("not the JSON `vault read -format=json` prints: %w", err)
	}
	if len(wrap.Data) == 0 || string(wrap.Data) == "null" {
		return fmt.Errorf("no \"data\" member: give what `vault read -format=json` prints")
	}
	dec := json.NewDecoder(bytes.NewReader(wrap.Data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return nil
}

// Synthesize is the set-up a file-less run assumes: a config with
// oidc_discovery_url the probed issuer (no bound_issuer, the default
// algorithms) and a jwt role bound to the audience aud, user_claim sub.
func Synthesize(issuer, aud string) (*Config, *Role) {
	return &Config{OIDCDiscoveryURL: issuer},
		&Role{RoleType: "jwt", BoundAudiences: []string{aud}, UserClaim: "sub", BoundClaimsType: ClaimsString}
}
