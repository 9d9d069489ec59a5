package token

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// Verifier names, as recorded in evidence.Verification.Verifier: the STS
// model (harness/stsrules, which verifies with jwx) and go-oidc's verifier.
const (
	VerifierJWX    = "jwx"
	VerifierGoOIDC = "go-oidc"
)

// Verify checks the signature of raw against the key set jwks (the body of
// the issuer's jwks_uri) twice, independently: by the STS model (the keys
// STS would try for the token's kid, the signature checked with each key's
// public numbers alone, whatever its use, alg or size) and by go-oidc's
// verifier over the same candidate keys. Only the signature is judged. It
// returns nil when jwks is empty or the token is too long to decode
// (stsrules.TooLongToDecode: measured, never decoded), otherwise
// one verdict per verifier; the model's names the key that verified or the
// rule that refused. No message contains the token.
//
// The work runs under ctx, the run's budget: when it ends first, both
// verdicts say how long was spent before giving up (Abandoned), and judge
// nothing. (The model's key caps bound what is left running.)
func Verify(ctx context.Context, raw, issuer string, jwks []byte) []evidence.Verification {
	raw = strings.TrimSpace(raw)
	if len(jwks) == 0 || stsrules.TooLongToDecode(raw) {
		return nil // no key set, or a token too long to decode
	}
	start := time.Now()
	gaveUp := func() []evidence.Verification {
		msg := fmt.Sprintf("gave up after %s: the run's time limit (--timeout) ended before the signature was verified",
			time.Since(start).Round(time.Millisecond))
		return []evidence.Verification{
			{Verifier: VerifierJWX, Abandoned: true, Error: msg},
			{Verifier: VerifierGoOIDC, Abandoned: true, Error: msg},
		}
	}
	if ctx.Err() != nil {
		return gaveUp()
	}
	done := make(chan []evidence.Verification, 1)
	go func() {
		model, candidates := verifyModel(raw, jwks)
		model.Verifier = VerifierJWX
		model.Error = scrub(model.Error, raw)
		done <- []evidence.Verification{model, verdict(VerifierGoOIDC, raw, verifyGoOIDC(ctx, raw, issuer, candidates))}
	}()
	select {
	case v := <-done:
		return v
	case <-ctx.Done():
		return gaveUp()
	}
}

// verdict turns a verifier's error into a Verification whose message is
// scrubbed of the token.
func verdict(name, raw string, err error) evidence.Verification {
	if err == nil {
		return evidence.Verification{Verifier: name, OK: true}
	}
	return evidence.Verification{Verifier: name, Error: scrub(err.Error(), raw)}
}

// verifyModel is the STS model's signature rule: shape, a signature alg, key selection
// by kid, then the signature with the candidates' public numbers. It also
// returns the usable candidates, for the independent verifier.
func verifyModel(raw string, jwks []byte) (evidence.Verification, []crypto.PublicKey) {
	refused := func(e *stsrules.Error) (evidence.Verification, []crypto.PublicKey) {
		return evidence.Verification{Rule: string(e.Rule), Error: e.Reason()}, nil
	}
	tok := stsrules.Decode(raw)
	if e := tok.CheckShape(); e != nil {
		return refused(e)
	}
	h, e := tok.ReadHeader()
	if e != nil {
		return refused(e)
	}
	// The signature's rule, not STS's list of algorithms (TOK-002's): a
	// PS256 signature verifies or not whoever the relying party is.
	if e := stsrules.CheckSigningAlgorithm(h.Alg); e != nil {
		return refused(e)
	}
	keys, e := stsrules.ParseJWKS(jwks)
	if e != nil {
		return refused(e)
	}
	candidates, e := stsrules.SelectKeys(keys, h)
	if e != nil {
		return refused(e)
	}
	var public []crypto.PublicKey
	for _, k := range candidates {
		if k.Public != nil {
			public = append(public, k.Public)
		}
	}
	signer, e := stsrules.CheckSignature(raw, h.Alg, candidates)
	if e != nil {
		v, _ := refused(e)
		return v, public
	}
	return evidence.Verification{OK: true, Key: signer.Describe(), KeyIndex: signer.Index + 1}, public
}

// verifyGoOIDC verifies with go-oidc's IDTokenVerifier over a static set of
// the candidate keys. Claims are not checked; a token whose signature
// verified but whose claims go-oidc cannot decode (a string iat, for
// instance) still counts as verified: those are the claims checks' findings.
func verifyGoOIDC(ctx context.Context, raw, issuer string, keys []crypto.PublicKey) error {
	if len(keys) == 0 {
		return errors.New("go-oidc: no usable candidate key")
	}
	ks := &recordingKeySet{inner: &oidc.StaticKeySet{PublicKeys: keys}}
	v := oidc.NewVerifier(issuer, ks, &oidc.Config{
		SkipClientIDCheck:    true,
		SkipExpiryCheck:      true,
		SkipIssuerCheck:      true,
		SupportedSigningAlgs: stsrules.SignatureAlgorithms,
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

// maxErrorLen caps a verifier's message in the evidence.
const maxErrorLen = 300
