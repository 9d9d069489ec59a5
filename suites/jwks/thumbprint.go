package jwks

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Thumbprint is the key's RFC 7638 SHA-256 thumbprint, base64url. The
// required members are decoded leniently (padding or the base64 alphabet
// tolerated, an RSA integer's leading zero bytes dropped) and re-encoded
// canonically, so the thumbprint names the material however it was written.
func (k *Key) Thumbprint() (string, error) {
	need, ok := required[k.Kty]
	if !ok || k.Members == nil {
		return "", fmt.Errorf("thumbprint of %s: no thumbprint for kty %q", k.Name(), k.Kty)
	}
	m := map[string]string{"kty": k.Kty}
	for _, name := range need {
		s, ok := k.str(name)
		if !ok {
			return "", fmt.Errorf("thumbprint of %s: %s is missing or not a string", k.Name(), name)
		}
		if name != "crv" {
			b, err := lenientBase64(s)
			if err != nil {
				return "", fmt.Errorf("thumbprint of %s: %s: %w", k.Name(), name, err)
			}
			if k.Kty == "RSA" {
				for len(b) > 1 && b[0] == 0 {
					b = b[1:]
				}
			}
			s = base64.RawURLEncoding.EncodeToString(b)
		}
		m[name] = s
	}
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		// The values are base64url or curve names: no character needs escaping
		// beyond what json.Marshal does for any string.
		kj, _ := json.Marshal(n)
		vj, _ := json.Marshal(m[n])
		b.Write(kj)
		b.WriteByte(':')
		b.Write(vj)
	}
	b.WriteByte('}')
	sum := sha256.Sum256([]byte(b.String()))
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// lenientBase64 decodes base64url or base64, padded or not.
func lenientBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not base64url: %w", err)
	}
	return b, nil
}
