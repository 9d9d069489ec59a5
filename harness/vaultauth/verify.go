package vaultauth

import (
	"context"
	"crypto"
	"crypto/rsa"
	"fmt"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	capjwt "github.com/hashicorp/cap/jwt"

	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
)

// Stage is where Vault stopped.
type Stage string

// Stages of an Answer.
const (
	// StageConfig: Vault would not have written the config (the discovery
	// check at write time failed) or could not build its validator.
	StageConfig Stage = "config"
	// StageToken: cap refused the token ("error validating token: ...").
	StageToken Stage = "token"
	// StageAccepted: cap accepted the token.
	StageAccepted Stage = "accepted"
	// StageNotRun: the set-up is one the harness does not run in-process,
	// or the run ended before cap answered.
	StageNotRun Stage = "not-run"
)

// Answer is what cap answered, in Vault's words.
type Answer struct {
	Stage Stage  `json:"stage"`
	Error string `json:"error,omitempty"`
}

// Accepted reports whether cap accepted the token.
func (a Answer) Accepted() bool { return a.Stage == StageAccepted }

// fetchWait bounds how long cap may take to read a recorded document; they
// are in memory, so this is only a guard.
const fetchWait = 5 * time.Second

// DefaultAlgorithms are the algorithms a jwt login accepts when
// jwt_supported_algs is empty (path_login.go).
var DefaultAlgorithms = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"}

// Algorithms are the algorithms the login accepts for config c.
func (c *Config) Algorithms() []string {
	if len(c.JWTSupportedAlgs) == 0 {
		return DefaultAlgorithms
	}
	return c.JWTSupportedAlgs
}

// Expected is the jwt.Expected the plugin's pathLogin builds from the
// config and role, judged at now.
func Expected(c *Config, r *Role, now time.Time) capjwt.Expected {
	var algs []capjwt.Alg
	for _, a := range c.Algorithms() {
		algs = append(algs, capjwt.Alg(a))
	}
	l := r.Leeways()
	return capjwt.Expected{
		Issuer: c.BoundIssuer, Subject: r.BoundSubject, Audiences: r.BoundAudiences,
		SigningAlgorithms: algs,
		NotBeforeLeeway:   l.NotBefore, ExpirationLeeway: l.Expiration, ClockSkewLeeway: l.ClockSkew,
		Now: func() time.Time { return now },
	}
}

// Validate runs cap's validator as the plugin builds it (backend.go
// jwtValidator, path_login.go) for config c and role r on the token raw,
// at now. Every document cap asks for is answered by rt (recorded replies,
// never the network); a CA PEM is not handed to cap (it would build its own
// transport): the recorded chain is judged against it apart.
func Validate(ctx context.Context, c *Config, r *Role, rt http.RoundTripper, raw string, now time.Time) Answer {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cctx := oidc.ClientContext(ctx, &http.Client{Transport: rt, Timeout: fetchWait})
	var ks capjwt.KeySet
	var err error
	switch {
	case len(c.JWTValidationPubKeys) > 0:
		var keys []crypto.PublicKey
		if keys, err = c.PublicKeys(); err == nil {
			ks, err = capjwt.NewStaticKeySet(capped(keys))
		}
	case c.JWKSURL != "":
		ks, err = capjwt.NewJSONWebKeySet(cctx, c.JWKSURL, "")
	case len(c.JWKSPairs) > 0:
		return Answer{Stage: StageNotRun, Error: "jwks_pairs: the harness does not run Vault's multi-JWKS key search in-process"}
	default:
		ks, err = capjwt.NewOIDCDiscoveryKeySet(cctx, c.OIDCDiscoveryURL, "")
		if err != nil && ctx.Err() == nil {
			return Answer{Stage: StageConfig, Error: fmt.Sprintf("error checking oidc discovery URL: %v", err)}
		}
	}
	switch {
	case ctx.Err() != nil:
		return notFinished(ctx)
	case err != nil:
		return Answer{Stage: StageConfig, Error: fmt.Sprintf("error configuring token validator: keyset configuration error: %v", err)}
	}
	v, err := capjwt.NewValidator(ks)
	if err != nil {
		return Answer{Stage: StageConfig, Error: fmt.Sprintf("error configuring token validator: JWT validator configuration error: %v", err)}
	}
	_, err = v.Validate(cctx, raw, Expected(c, r, now))
	switch {
	case ctx.Err() != nil:
		return notFinished(ctx)
	case err != nil:
		return Answer{Stage: StageToken, Error: "error validating token: " + err.Error()}
	}
	return Answer{Stage: StageAccepted}
}

// notFinished is the answer of a run that ended before cap answered: no
// answer, not a refusal.
func notFinished(ctx context.Context) Answer {
	return Answer{Stage: StageNotRun, Error: fmt.Sprintf("cap/jwt did not finish: %v", ctx.Err())}
}

// capped leaves out the RSA keys over the harness's modulus cap, so cap
// never spends unbounded, uncancellable CPU on one (JWKS-007's finding).
func capped(keys []crypto.PublicKey) []crypto.PublicKey {
	out := make([]crypto.PublicKey, 0, len(keys))
	for _, k := range keys {
		if rk, ok := k.(*rsa.PublicKey); ok && jwkset.CheckModulusBits(rk.N.BitLen()) != nil {
			continue
		}
		out = append(out, k)
	}
	return out
}
