// Package vaultauth models HashiCorp Vault's JWT auth method
// (hashicorp/vault-plugin-auth-jwt, role_type jwt): it reads the mount's
// config and role as `vault read -format=json` prints them, validates them
// as Vault does when they are written, and runs HashiCorp's own token
// validator (github.com/hashicorp/cap/jwt, which the plugin calls at login)
// in-process on the discovery document and key set a probe recorded, with
// no second fetch. The checks the plugin makes itself after cap (an
// audience with none bound, the user and groups claims, bound_claims) are
// here too, as the plugin's claims.go writes them, for the judges to use.
package vaultauth
