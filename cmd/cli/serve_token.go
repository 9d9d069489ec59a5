package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
)

// Defaults of `serve issuer --aud` and `--ttl`: an EKS projected token.
const (
	defaultTokenAudience = "sts.amazonaws.com"
	defaultTokenTTL      = 24 * time.Hour
)

// audiencePresets are the names --aud takes for a relying party's audience:
// the fixture's GCP provider (its full resource name, which GCP wants when
// the provider lists no allowedAudiences) and Entra's token exchange.
var audiencePresets = map[string]func() string{
	"gcp":   issuer.GCPAudience,
	"azure": func() string { return "api://AzureADTokenExchange" },
}

// tokenAudience is the aud of the --token-out token: a preset's value, or
// --aud as given.
func (o *ServeIssuerOptions) tokenAudience() string {
	if preset, ok := audiencePresets[o.TokenAudience]; ok {
		return preset()
	}
	return o.TokenAudience
}

// checkToken validates the token flags of `serve issuer` before anything starts.
func (o *ServeIssuerOptions) checkToken() error {
	if o.TokenOut == "" {
		if o.TokenSub != "" || o.TokenAudience != defaultTokenAudience || o.TokenTTL != defaultTokenTTL {
			return errors.New("--sub, --aud and --ttl shape the token of --token-out FILE, which is not given")
		}
		return nil
	}
	switch {
	case o.TokenAudience == "":
		return errors.New("--aud: must not be empty")
	case o.TokenTTL < time.Second:
		return fmt.Errorf("--ttl %s: want at least 1s", o.TokenTTL)
	}
	return checkWritable("--token-out", o.TokenOut)
}

// mintToken mints the --token-out token ("" without --token-out); a bad
// --sub is reported here, before the server starts.
func (o *ServeIssuerOptions) mintToken(srv *issuer.Server) (string, error) {
	if o.TokenOut == "" {
		return "", nil
	}
	raw, err := srv.MintToken(issuer.TokenOptions{Sub: o.TokenSub, Audience: o.tokenAudience(), TTL: o.TokenTTL})
	if err != nil {
		return "", fmt.Errorf("--token-out: %w", err)
	}
	return raw, nil
}

// writeToken writes raw to path readable by its owner only (an existing
// file is truncated and its mode tightened); nothing when path is "".
func writeToken(path, raw string) error {
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(raw); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
