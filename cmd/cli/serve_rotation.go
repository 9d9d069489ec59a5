package cli

import (
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
)

// rotation is the key rotation --rotate-every and --overlap ask for.
func (o *ServeIssuerOptions) rotation() (issuer.Rotation, error) {
	switch {
	case o.RotateEvery < 0 || o.Overlap < 0:
		return issuer.Rotation{}, fmt.Errorf("--rotate-every %s --overlap %s: must not be negative", o.RotateEvery, o.Overlap)
	case o.Overlap > 0 && o.RotateEvery == 0:
		return issuer.Rotation{}, fmt.Errorf("--overlap %s needs --rotate-every", o.Overlap)
	}
	return issuer.Rotation{Every: o.RotateEvery, Overlap: o.Overlap}, nil
}

// dialableAll is the ADDR part of a --resolve pin for addrs, comma-separated
// as curl takes several addresses.
func dialableAll(addrs []string) string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = dialable(a)
	}
	return strings.Join(out, ",")
}
