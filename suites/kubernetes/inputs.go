package kubernetes

import (
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeauth"
)

// defaultAudience is the audience of a file-less run without --audience.
const defaultAudience = "sts.amazonaws.com"

// entry returns the jwt[] entry the target is judged with and what was
// assumed for it: the file's entry, or without a file an entry for the
// probed issuer and the expected audience, username from sub, no rules.
func entry(in evidence.Input) (*kubeauth.JWT, []string, error) {
	rp, _ := in.Party(Name)
	f, ok := rp.Files[FlagConfig]
	if !ok {
		aud := in.Audience
		if aud == "" {
			aud = defaultAudience
		}
		return kubeauth.Synthesize(in.Issuer, aud), []string{fmt.Sprintf(
			"no --%s: a jwt[] entry with issuer.url the probed issuer, audiences [%s], username from sub without prefix and no claim rules (only the rules that need no file are judged)",
			FlagConfig, aud)}, nil
	}
	cfg, err := kubeauth.Load(f.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("--%s %s: %w", FlagConfig, f.Path, err)
	}
	j, err := cfg.Entry(rp.Value(FlagIssuer), in.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("--%s %s: %w", FlagConfig, f.Path, err)
	}
	return j, nil, nil
}
