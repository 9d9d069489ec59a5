package kubeauth

import (
	"encoding/json"

	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
)

// capped returns the key set body with the keys over the harness's caps left
// out (an RSA modulus over jwkset.MaxRSABits, keys past jwkset.MaxKeys), so
// the authenticator never spends unbounded CPU on a hostile key: Go's RSA
// verification builds the modulus before it looks at the signature, and
// that cannot be cancelled. Those keys are JWKS-007's and JWKS-010's
// findings. A body with nothing to leave out, or one that is not a key set,
// is returned as it is (the authenticator judges it).
func capped(body []byte) []byte {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if json.Unmarshal(body, &set) != nil {
		return body
	}
	kept := make([]json.RawMessage, 0, min(len(set.Keys), jwkset.MaxKeys))
	for _, raw := range set.Keys {
		if len(kept) == jwkset.MaxKeys {
			break
		}
		var k struct {
			Kty string `json:"kty"`
			N   string `json:"n"`
		}
		if json.Unmarshal(raw, &k) == nil && k.Kty == "RSA" && jwkset.CheckModulus(k.N) != nil {
			continue
		}
		kept = append(kept, raw)
	}
	if len(kept) == len(set.Keys) {
		return body
	}
	out, err := json.Marshal(map[string][]json.RawMessage{"keys": kept})
	if err != nil {
		return body
	}
	return out
}
