package stsrules

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jws"
)

// Algorithms are the signing algorithms STS accepts (RS256 alone before
// 2024-11-20).
var Algorithms = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

// FutureSkew is how far iat and nbf may lie in the future.
const FutureSkew = 60 * time.Second

// Verifier verifies web identity tokens against the IAM OIDC providers of an
// account. Its zero Now is time.Now. It is safe for concurrent use when its
// KeySource is.
type Verifier struct {
	// Providers are the account's IAM OIDC providers.
	Providers []Provider
	// Keys gives the providers' verification keys.
	Keys KeySource
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Identity is what a verified token tells STS.
type Identity struct {
	// Provider is the IAM provider the token's iss selected.
	Provider Provider
	// Issuer is the token's iss; Subject its sub.
	Issuer, Subject string
	// Audience is the first of the token's aud values that is one of the
	// provider's client IDs: STS's Audience and the token's :aud.
	Audience string
	// Audiences are all of the token's aud values, in order.
	Audiences []string
	// AuthorizedParty is the azp claim, "" when absent.
	AuthorizedParty string
	// AMR are the amr claim's values, nil when absent.
	AMR []string
	// Algorithm and KeyID are the header's alg and kid.
	Algorithm, KeyID string
	// IssuedAt and Expires are iat and exp; NotBefore is nbf, zero when absent.
	IssuedAt, Expires, NotBefore time.Time
}

// ConditionValues returns the values of the token's trust-policy condition
// keys <provider>:aud, :sub, :amr and :azp, keyed "aud", "sub", "amr" and
// "azp" (absent claims are left out), for trust.Request.Claims.
func (id *Identity) ConditionValues() map[string][]string {
	values := map[string][]string{
		"aud": id.Audiences,
		"sub": {id.Subject},
	}
	if len(id.AMR) > 0 {
		values["amr"] = id.AMR
	}
	if id.AuthorizedParty != "" {
		values["azp"] = []string{id.AuthorizedParty}
	}
	return values
}

// Verify verifies raw as STS does and returns its identity, or an *Error
// with STS's code, message and status. Leading and trailing white space (a
// token file's final newline) is ignored. In order: the token is a compact JWS;
// its iss names a registered provider, exactly; its alg is one STS accepts;
// the provider's key with its kid verifies the signature; exp and iat (and
// nbf) are integers; aud and sub are present; an aud is a client ID of the
// provider; exp is after now; iat and nbf are not more than FutureSkew ahead.
func (v *Verifier) Verify(ctx context.Context, raw string) (*Identity, error) {
	return v.verify(ctx, raw, true)
}

// verify is Verify; signed false skips the key lookup and the signature
// check (VerifyUnsigned), and nothing else.
func (v *Verifier) verify(ctx context.Context, raw string, signed bool) (*Identity, error) {
	raw = strings.TrimSpace(raw) // a token file's final newline
	tok, verr := parseCompact(raw)
	if verr != nil {
		return nil, verr
	}
	iss, present, verr := tok.claimString("iss")
	switch {
	case verr != nil:
		return nil, verr
	case !present || iss == "":
		return nil, invalid(msgMissingClaim + "iss")
	}
	p, ok := v.provider(iss)
	if !ok {
		return nil, invalid("%s%s", msgNoProvider, iss)
	}
	alg, ok := acceptedAlgorithm(tok.alg)
	if !ok {
		return nil, invalid("Unsupported token signing algorithm %q: STS accepts RS256, RS384, RS512, ES256, ES384 and ES512", clip(tok.alg, 20))
	}
	if signed {
		key, err := v.Keys.Key(ctx, p, tok.kid)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				return nil, e
			}
			return nil, KeyNotRetrieved(err)
		}
		if err := checkSignature(raw, alg, key); err != nil {
			return nil, err
		}
	}
	id := &Identity{Provider: p, Issuer: iss, Algorithm: tok.alg, KeyID: tok.kid}
	if err := id.readClaims(tok); err != nil {
		return nil, err
	}
	if err := id.checkClaims(p, v.now()); err != nil {
		return nil, err
	}
	return id, nil
}

// now is the verifier's clock.
func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// provider returns the provider whose issuer is exactly iss.
func (v *Verifier) provider(iss string) (Provider, bool) {
	for _, p := range v.Providers {
		if p.Issuer() == iss {
			return p, true
		}
	}
	return Provider{}, false
}

// acceptedAlgorithm returns the jwa algorithm for name if STS accepts it.
func acceptedAlgorithm(name string) (jwa.SignatureAlgorithm, bool) {
	for _, a := range Algorithms {
		if a == name {
			return jwa.LookupSignatureAlgorithm(name)
		}
	}
	return jwa.SignatureAlgorithm{}, false
}

// checkSignature verifies the signature of raw with key under alg, after
// checking that the key suits the algorithm.
func checkSignature(raw string, alg jwa.SignatureAlgorithm, key Key) *Error {
	if key.Algorithm != "" && key.Algorithm != alg.String() {
		return invalid("The token's alg %s differs from the alg %s of the key with its kid", alg, key.Algorithm)
	}
	if err := keySuits(alg.String(), key); err != nil {
		return invalid("The key with the token's kid cannot verify %s: %v", alg, err)
	}
	if _, err := jws.VerifyCompactFast(key.Public, []byte(raw), alg); err != nil {
		return &Error{Code: CodeInvalidIdentityToken, Message: "The token signature is invalid",
			HTTPStatus: http.StatusBadRequest, Cause: errors.New("signature does not verify with the key published under the token's kid")}
	}
	return nil
}

// keySuits checks the key type and curve against the algorithm.
func keySuits(alg string, key Key) error {
	switch pub := key.Public.(type) {
	case *rsa.PublicKey:
		if alg[:2] != "RS" {
			return errors.New("it is an RSA key")
		}
	case *ecdsa.PublicKey:
		want := map[string]elliptic.Curve{"ES256": elliptic.P256(), "ES384": elliptic.P384(), "ES512": elliptic.P521()}[alg]
		if want == nil {
			return errors.New("it is an EC key")
		}
		if pub.Curve != want {
			return fmt.Errorf("its curve is %s, want %s", pub.Curve.Params().Name, want.Params().Name)
		}
	default:
		return fmt.Errorf("unsupported key type %T", key.Public)
	}
	return nil
}
