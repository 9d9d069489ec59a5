package vaultauth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"strings"
	"testing"
)

// read wraps data as `vault read -format=json` prints it.
func read(data string) []byte {
	return []byte(`{"request_id":"x","lease_id":"","data":` + data + `,"warnings":null}`)
}

// pubPEM is a PEM public key for jwt_validation_pubkeys.
func pubPEM(t *testing.T) string {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestLoadConfig(t *testing.T) {
	key, _ := json.Marshal(pubPEM(t))
	tests := []struct {
		name, body, wantErr string
	}{
		{"discovery", `{"oidc_discovery_url":"https://i.test","jwt_supported_algs":["RS256","EdDSA"],"jwks_pairs":[],"jwt_validation_pubkeys":[]}`, ""},
		{"static keys", `{"jwt_validation_pubkeys":[` + string(key) + `]}`, ""},
		{"jwks_url over http (Vault allows it)", `{"jwks_url":"http://i.test/keys"}`, ""},
		{"jwks_pairs", `{"jwks_pairs":[{"jwks_url":"https://a.test/keys"}]}`, ""},
		{"no key source", `{"bound_issuer":"https://i.test"}`, "exactly one of"},
		{"two key sources", `{"oidc_discovery_url":"https://i.test","jwks_url":"https://i.test/keys"}`, "exactly one of"},
		{".well-known in the discovery URL", `{"oidc_discovery_url":"https://i.test/.well-known/openid-configuration"}`, "error checking oidc discovery URL"},
		{"bound_issuer with jwks_pairs", `{"jwks_pairs":[{}],"bound_issuer":"https://i.test"}`, "Bound issuer is not supported"},
		{"jwks_ca_pem with jwks_pairs", `{"jwks_pairs":[{}],"jwks_ca_pem":"x"}`, "CA PEMs must be provided"},
		{"a CA PEM that is none", `{"oidc_discovery_url":"https://i.test","oidc_discovery_ca_pem":"not a pem"}`, "could not parse CA PEM"},
		{"a public key that is none", `{"jwt_validation_pubkeys":["not a pem"]}`, "error parsing public key"},
		{"an unknown algorithm", `{"oidc_discovery_url":"https://i.test","jwt_supported_algs":["HS256"]}`, `invalid jwt_supported_algs: unsupported signing algorithm "HS256"`},
		{"no data member", `null`, "no \"data\" member"},
		{"set up for the OIDC flow", `{"oidc_discovery_url":"https://i.test","oidc_client_id":"vault"}`, "unsupported config type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(read(tt.body))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || c == nil {
				t.Fatalf("error %v", err)
			}
		})
	}
	if _, err := LoadConfig([]byte("{")); err == nil {
		t.Error("a file that is not JSON loads")
	}
}

func TestLoadRole(t *testing.T) {
	tests := []struct {
		name, body, wantErr string
	}{
		{"bound audience", `{"role_type":"jwt","bound_audiences":["a"],"user_claim":"sub","bound_claims_type":"string","clock_skew_leeway":0}`, ""},
		{"only token_bound_cidrs", `{"role_type":"jwt","token_bound_cidrs":["10.0.0.0/8"],"user_claim":"sub"}`, ""},
		{"glob bound claims", `{"role_type":"jwt","bound_claims_type":"glob","bound_claims":{"sub":["a*","b*"]},"user_claim":"sub"}`, ""},
		{"an oidc role", `{"role_type":"oidc","bound_audiences":["a"],"user_claim":"sub"}`, "role with oidc role_type is not allowed"},
		{"no user claim", `{"role_type":"jwt","bound_audiences":["a"],"user_claim":""}`, "a user claim must be defined on the role"},
		{"no bound constraint", `{"role_type":"jwt","bound_audiences":[],"user_claim":"sub"}`, "must have at least one bound constraint"},
		{"bad bound_claims_type", `{"role_type":"jwt","bound_subject":"s","bound_claims_type":"regex","user_claim":"sub"}`, "invalid 'bound_claims_type': regex"},
		{"glob of a number", `{"role_type":"jwt","bound_claims_type":"glob","bound_claims":{"n":[1]},"user_claim":"sub"}`, "claim is not a string: 1"},
		{"glob of an object", `{"role_type":"jwt","bound_claims_type":"glob","bound_claims":{"n":{"a":"b"}},"user_claim":"sub"}`, "claim is not a string or list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := LoadRole(read(tt.body))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || r.BoundClaimsType == "" {
				t.Fatalf("role %+v, error %v", r, err)
			}
		})
	}
	r, err := LoadRole(read(`{"role_type":"jwt","bound_claims":{"n":7},"user_claim":"sub"}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.BoundClaims["n"] != json.Number("7") || r.BoundClaimsType != ClaimsString {
		t.Errorf("bound claim %#v (type %s), want json.Number 7, as Vault stores it, and the string default", r.BoundClaims["n"], r.BoundClaimsType)
	}
}
