package vaultauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	capjwt "github.com/hashicorp/cap/jwt"
)

// Validate applies the rules the plugin's pathConfigWrite applies when the
// config is written, and refuses a config set up for the OIDC flow, which
// no jwt login can use; an error quotes Vault's answer.
func (c *Config) Validate() error {
	methods := 0
	for _, set := range []bool{c.OIDCDiscoveryURL != "", len(c.JWTValidationPubKeys) > 0, c.JWKSURL != "", len(c.JWKSPairs) > 0} {
		if set {
			methods++
		}
	}
	switch {
	case methods != 1:
		return errors.New("vaultauth: config: Vault: \"exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs' or 'oidc_discovery_url' must be set\"")
	case strings.Contains(c.OIDCDiscoveryURL, "/.well-known/"):
		return fmt.Errorf("vaultauth: config: oidc_discovery_url %q has a .well-known component: Vault appends /.well-known/openid-configuration itself and answers \"error checking oidc discovery URL\"", c.OIDCDiscoveryURL)
	case c.JWKSCAPEM != "" && len(c.JWKSPairs) > 0:
		return errors.New("vaultauth: config: Vault: \"CA PEMs must be provided as part of the 'jwks_pairs' when using multiple JWKS URLs\"")
	case len(c.JWKSPairs) > 0 && c.BoundIssuer != "":
		return errors.New("vaultauth: config: Vault: \"Bound issuer is not supported for use with 'jwks_pairs'\"")
	case c.OIDCClientID != "" && c.OIDCDiscoveryURL != "":
		// authType OIDCFlow: backend.go's jwtValidator has no case for it.
		return errors.New("vaultauth: config: oidc_client_id is set, so the mount is set up for the OIDC flow, and Vault answers every jwt login \"error configuring token validator: unsupported config type\"")
	}
	for name, p := range map[string]string{"oidc_discovery_ca_pem": c.OIDCDiscoveryCAPEM, "jwks_ca_pem": c.JWKSCAPEM} {
		if p != "" && !x509.NewCertPool().AppendCertsFromPEM([]byte(p)) {
			return fmt.Errorf("vaultauth: config: %s: cap: \"could not parse CA PEM value successfully\"", name)
		}
	}
	if _, err := c.PublicKeys(); err != nil {
		return err
	}
	algs := make([]capjwt.Alg, len(c.JWTSupportedAlgs))
	for i, a := range c.JWTSupportedAlgs {
		algs[i] = capjwt.Alg(a)
	}
	if err := capjwt.SupportedSigningAlgorithm(algs...); err != nil {
		return fmt.Errorf("vaultauth: config: Vault: \"invalid jwt_supported_algs: %v\"", err)
	}
	return nil
}

// PublicKeys parses jwt_validation_pubkeys as Vault does (PEM public keys
// or certificates: RSA, ECDSA, Ed25519).
func (c *Config) PublicKeys() ([]crypto.PublicKey, error) {
	out := make([]crypto.PublicKey, 0, len(c.JWTValidationPubKeys))
	for i, p := range c.JWTValidationPubKeys {
		k, err := parsePublicKeyPEM([]byte(p))
		if err != nil {
			return nil, fmt.Errorf("vaultauth: config: jwt_validation_pubkeys[%d]: Vault: \"error parsing public key: %v\"", i, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// parsePublicKeyPEM is the sdk's certutil.ParsePublicKeyPEM: a PKIX public
// key, else a certificate's.
func parsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("data does not contain any valid public keys")
	}
	raw, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		cert, cerr := x509.ParseCertificate(block.Bytes)
		if cerr != nil {
			return nil, err
		}
		raw = cert.PublicKey
	}
	switch k := raw.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return k, nil
	}
	return nil, errors.New("data does not contain any valid public keys")
}

// Validate applies the rules the plugin's pathRoleCreateUpdate applies when
// a role is written, and refuses an oidc role, which a jwt login cannot use.
func (r *Role) Validate() error {
	switch {
	case r.RoleType != "jwt":
		return fmt.Errorf("vaultauth: role: role_type %q: this harness judges jwt logins, and Vault refuses one for an oidc role (\"role with oidc role_type is not allowed\")", r.RoleType)
	case r.BoundClaimsType != ClaimsString && r.BoundClaimsType != ClaimsGlob:
		return fmt.Errorf("vaultauth: role: Vault: \"invalid 'bound_claims_type': %s\"", r.BoundClaimsType)
	case r.UserClaim == "":
		return errors.New("vaultauth: role: Vault: \"a user claim must be defined on the role\"")
	case len(r.BoundAudiences) == 0 && len(r.TokenBoundCIDRs) == 0 && r.BoundSubject == "" && len(r.BoundClaims) == 0:
		return errors.New("vaultauth: role: Vault: \"must have at least one bound constraint when creating/updating a role\"")
	}
	if r.BoundClaimsType == ClaimsGlob {
		for _, v := range r.BoundClaims {
			vals, ok := normalizeList(v)
			if !ok {
				return fmt.Errorf("vaultauth: role: Vault: \"claim is not a string or list: %v\"", v)
			}
			for _, s := range vals {
				if _, ok := s.(string); !ok {
					return fmt.Errorf("vaultauth: role: Vault: \"claim is not a string: %v\"", s)
				}
			}
		}
	}
	return nil
}
