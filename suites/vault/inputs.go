package vault

import (
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/vaultauth"
)

// defaultAudience is the audience a file-less run binds without --audience.
const defaultAudience = "sts.amazonaws.com"

// setup returns the config and role the target is judged with and what was
// assumed for them: the files, or without one a config with
// oidc_discovery_url the probed issuer and a jwt role bound to the expected
// audience with user_claim sub.
func setup(in evidence.Input) (*vaultauth.Config, *vaultauth.Role, []string, error) {
	rp, _ := in.Party(Name)
	aud := in.Audience
	if aud == "" {
		aud = defaultAudience
	}
	c, r := vaultauth.Synthesize(in.Issuer, aud)
	var assumed []string
	if f, ok := rp.Files[FlagConfig]; ok {
		var err error
		if c, err = vaultauth.LoadConfig(f.Body); err != nil {
			return nil, nil, nil, fmt.Errorf("--%s %s: %w", FlagConfig, f.Path, err)
		}
	} else {
		assumed = append(assumed, fmt.Sprintf("no --%s: a config with oidc_discovery_url the probed issuer, no bound_issuer, the default jwt_supported_algs, and the run's CA options for Vault's", FlagConfig))
	}
	if f, ok := rp.Files[FlagRole]; ok {
		var err error
		if r, err = vaultauth.LoadRole(f.Body); err != nil {
			return nil, nil, nil, fmt.Errorf("--%s %s: %w", FlagRole, f.Path, err)
		}
	} else {
		assumed = append(assumed, fmt.Sprintf("no --%s: a jwt role with bound_audiences [%s], user_claim sub, no bound_subject or bound_claims, the default leeways", FlagRole, aud))
	}
	return c, r, assumed, nil
}
