package token

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
	"github.com/oidc-conformance/oidc-conformance/harness/webidentity"
)

// Verifier names, as recorded in evidence.Verification.Verifier.
const (
	VerifierJWX    = "jwx"
	VerifierGoOIDC = "go-oidc"
)

// STSAlgorithms are the signing algorithms STS accepts for a web identity
// token: the STS rules' list.
var STSAlgorithms = webidentity.Algorithms

// maxErrorLen caps a verifier's message in the evidence.
const maxErrorLen = 300

// Verify checks the signature of raw against the key set jwks (the body of the
// issuer's jwks_uri) twice, independently: with jwx (key chosen by exact kid,
// which is required; the header's alg must be one STS accepts and match the
// key) and with go-oidc's verifier (keys parsed by go-jose, as go-oidc's
// RemoteKeySet does). Only the signature is judged: issuer, audience and
// times are left to the claims checks. It returns nil when jwks is empty,
// otherwise one verdict per verifier; no message contains the token.
//
// The key set is read through jwkset, with its caps: the verifiers see only
// the keys the token's kid names (every parsed key when it names none), and
// never a key over a cap (a modulus over 16384 bits), which the JWKS suite
// reports. The work runs under ctx: when it ends first, the verdict says
// how long was spent before giving up (Abandoned).
func Verify(ctx context.Context, raw, issuer string, jwks []byte) []evidence.Verification {
	raw = strings.TrimSpace(raw)
	if len(jwks) == 0 {
		return nil
	}
	set, perr := jwkset.Parse(jwks)
	_, kid, _ := headerAlgKid(raw)
	return []evidence.Verification{
		bounded(ctx, VerifierJWX, raw, func() error {
			if perr != nil {
				return fmt.Errorf("jwx: %w", perr)
			}
			return verifyJWX(ctx, raw, set, kid)
		}),
		bounded(ctx, VerifierGoOIDC, raw, func() error {
			if perr != nil {
				return fmt.Errorf("go-oidc: %w", perr)
			}
			return verifyGoOIDC(ctx, raw, issuer, set, kid)
		}),
	}
}

// bounded runs one verifier and returns its verdict, or gives up when ctx
// ends first (the work, bounded by the key caps, finishes on its own).
func bounded(ctx context.Context, name, raw string, verify func() error) evidence.Verification {
	start := time.Now()
	gaveUp := func() evidence.Verification {
		return evidence.Verification{Verifier: name, Abandoned: true,
			Error: fmt.Sprintf("gave up after %s: the run's time limit (--timeout) ended before the signature was verified",
				time.Since(start).Round(time.Millisecond))}
	}
	if ctx.Err() != nil {
		return gaveUp()
	}
	done := make(chan error, 1)
	go func() { done <- verify() }()
	select {
	case err := <-done:
		return verdict(name, raw, err)
	case <-ctx.Done():
		return gaveUp()
	}
}

// errOverCap marks a verdict whose only keys were refused by a cap.
var errOverCap = errors.New("no key within the caps")

// candidates are the keys the verifiers may use: those published under
// kid (all parsed keys when kid is ""), without the ones over a cap. The
// error names a cap when it alone left nothing.
func candidates(set *jwkset.Set, kid string) ([]*jwkset.Key, error) {
	all := set.Keys
	if kid != "" {
		all = set.ForKID(kid)
	}
	var out []*jwkset.Key
	var rejected []string
	for _, k := range all {
		if k.Rejected != "" {
			rejected = append(rejected, k.Name()+": "+k.Rejected)
			continue
		}
		out = append(out, k)
	}
	if len(out) == 0 && len(rejected) > 0 {
		return nil, fmt.Errorf("%w: %s", errOverCap, strings.Join(rejected, "; "))
	}
	return out, nil
}

// subset is a JWKS document of the given keys, as served but for their
// private members (jwkset.Key.PublicJSON).
func subset(keys []*jwkset.Key) []byte {
	b := []byte(`{"keys":[`)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, k.PublicJSON()...)
	}
	return append(b, "]}"...)
}

// verdict turns a verifier's error into a Verification whose message is
// scrubbed of the token.
func verdict(name, raw string, err error) evidence.Verification {
	if err == nil {
		return evidence.Verification{Verifier: name, OK: true}
	}
	return evidence.Verification{Verifier: name, Error: scrub(err.Error(), raw), OverCap: errors.Is(err, errOverCap)}
}

// verifyJWX verifies with jwx v3: compact form only, an accepted alg, the key
// found by kid, and the header's alg equal to the algorithm used.
func verifyJWX(ctx context.Context, raw string, ks *jwkset.Set, kid string) error {
	if n := strings.Count(raw, ".") + 1; n != 3 {
		return fmt.Errorf("jwx: not a compact JWS: %d parts, want 3", n)
	}
	// jws.Verify also takes the JSON serialization: allow only base64url and dots.
	if i := strings.IndexFunc(raw, func(r rune) bool { return r != '.' && notBase64URL(r) }); i >= 0 {
		return fmt.Errorf("jwx: not a compact JWS: character %q at offset %d is not base64url", raw[i], i)
	}
	alg, _, err := headerAlgKid(raw)
	if err != nil {
		return fmt.Errorf("jwx: %w", err)
	}
	if !accepted(alg) {
		return fmt.Errorf("jwx: alg %q refused: want one of %s", alg, strings.Join(STSAlgorithms, ", "))
	}
	keys, err := candidates(ks, kid)
	if err != nil {
		return fmt.Errorf("jwx: %w", err)
	}
	if len(keys) == 0 && kid != "" {
		return fmt.Errorf("jwx: no key with kid %q in the JWKS", kid)
	}
	set, err := jwk.Parse(subset(keys), jwk.WithIgnoreParseError(true))
	if err != nil {
		return fmt.Errorf("jwx: parse JWKS: %w", err)
	}
	if set.Len() == 0 {
		return errors.New("jwx: the JWKS has no key jwx can parse")
	}
	_, err = jws.Verify([]byte(raw),
		jws.WithKeySet(set, jws.WithInferAlgorithmFromKey(true)),
		jws.WithAlgorithmMatch(true),
		jws.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("jwx: %w", err)
	}
	return nil
}

// verifyGoOIDC verifies with go-oidc's IDTokenVerifier over a static set of
// the JWKS keys that carry the token's kid (every key when the token has no
// kid, as go-oidc's RemoteKeySet does). Claims are not checked; a token whose
// signature verified but whose claims go-oidc cannot decode (a string iat, for
// instance) still counts as verified: those are the claims checks' findings.
func verifyGoOIDC(ctx context.Context, raw, issuer string, set *jwkset.Set, kid string) error {
	keys, err := publicKeys(set, kid)
	if err != nil {
		return fmt.Errorf("go-oidc: %w", err)
	}
	ks := &recordingKeySet{inner: &oidc.StaticKeySet{PublicKeys: keys}}
	v := oidc.NewVerifier(issuer, ks, &oidc.Config{
		SkipClientIDCheck:    true,
		SkipExpiryCheck:      true,
		SkipIssuerCheck:      true,
		SupportedSigningAlgs: STSAlgorithms,
	})
	if _, err := v.Verify(ctx, raw); err != nil && !ks.verified {
		return fmt.Errorf("go-oidc: %w", err)
	}
	return nil
}

// recordingKeySet remembers whether the signature verified, so a later
// claims-decoding error is not mistaken for a bad signature.
type recordingKeySet struct {
	inner    oidc.KeySet
	verified bool
}

// VerifySignature implements oidc.KeySet.
func (r *recordingKeySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	payload, err := r.inner.VerifySignature(ctx, jwt)
	if err == nil {
		r.verified = true
	}
	return payload, err
}

// publicKeys parses the candidate keys with go-jose, skipping keys it cannot
// read (as go-oidc does), and returns the public keys whose kid is kid (all
// of them when kid is empty).
func publicKeys(set *jwkset.Set, kid string) ([]crypto.PublicKey, error) {
	cands, err := candidates(set, kid)
	if err != nil {
		return nil, err
	}
	var keys []crypto.PublicKey
	for _, c := range cands {
		var k jose.JSONWebKey
		if err := json.Unmarshal(c.PublicJSON(), &k); err != nil {
			continue
		}
		if kid != "" && k.KeyID != kid {
			continue
		}
		switch pub := k.Public().Key.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
			keys = append(keys, pub)
		}
	}
	if len(keys) == 0 {
		if kid == "" {
			return nil, errors.New("no public key in the JWKS")
		}
		return nil, fmt.Errorf("no public key with kid %q in the JWKS", kid)
	}
	return keys, nil
}

// headerAlgKid decodes the protected header and returns its alg and kid.
func headerAlgKid(raw string) (alg, kid string, err error) {
	header, _, _, _ := split(raw)
	b, msg := decodeObject("header", header)
	if msg != "" {
		return "", "", errors.New(msg)
	}
	var h struct {
		Alg any `json:"alg"`
		Kid any `json:"kid"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return "", "", fmt.Errorf("header: %w", err)
	}
	alg, _ = h.Alg.(string)
	kid, _ = h.Kid.(string)
	return alg, kid, nil
}

// accepted reports whether STS accepts alg.
func accepted(alg string) bool {
	for _, a := range STSAlgorithms {
		if a == alg {
			return true
		}
	}
	return false
}
