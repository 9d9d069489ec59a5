package gcp

import (
	"context"
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/suites/claims"
)

// Answer is what the signature verification in the probe phase found,
// stored in t.Answers[Name]. It never holds the token.
type Answer struct {
	// KeySet is where the keys came from: "jwksJson" or "jwks_uri".
	KeySet string `json:"key_set"`
	// Verified is true when the signature verified; Key names the key.
	Verified bool   `json:"verified"`
	Key      string `json:"key,omitempty"`
	// Error says why not.
	Error string `json:"error,omitempty"`
}

// Verify checks the raw token's signature as GCP does, against the
// provider's uploaded jwksJson when it has one, else the key set as served
// (jwks), with the key of the token's exact kid, and records the answer in
// t.Answers[Name]. The key caps of harness/jwkset bound the work; it
// fetches nothing.
func Verify(ctx context.Context, t *evidence.Target, raw string, jwks []byte) {
	p, err := providerOf(t.Input)
	if err != nil || ctx.Err() != nil {
		return
	}
	a := Answer{KeySet: "jwks_uri"}
	set := jwks
	if p.OIDC.JWKSJSON != "" {
		a.KeySet, set = "jwksJson", []byte(p.OIDC.JWKSJSON)
	}
	a.Key, a.Error = verifySignature(raw, set)
	a.Verified = a.Error == ""
	a.Error = token.Scrub(a.Error, raw)
	t.SetAnswer(Name, a)
}

// verifySignature returns the key that verified raw in set, or why none did.
func verifySignature(raw string, set []byte) (string, string) {
	if len(set) == 0 {
		return "", "no key set"
	}
	tok := stsrules.Decode(raw)
	if e := tok.CheckShape(); e != nil {
		return "", e.Reason()
	}
	h, e := tok.ReadHeader()
	if e != nil {
		return "", e.Reason()
	}
	if !h.HasKid {
		return "", "the token has no kid"
	}
	keys, e := stsrules.ParseJWKS(set)
	if e != nil {
		return "", e.Reason()
	}
	var candidates []stsrules.Key
	for _, k := range keys {
		if k.HasID && k.ID == h.Kid && (k.Type == "RSA" || k.Type == "EC") {
			candidates = append(candidates, k)
		}
	}
	if len(candidates) == 0 {
		return "", fmt.Sprintf("no RSA or EC key has kid %q", clip(h.Kid, 80))
	}
	signer, e := stsrules.CheckSignature(raw, h.Alg, candidates)
	if e != nil {
		return "", e.Reason()
	}
	return signer.Describe(), ""
}

// judgeSignature is GCP-012: the probe phase's answer.
func judgeSignature(t *evidence.Target) check.Finding {
	if t.Token == nil {
		return check.Skip(noToken)
	}
	if t.Token.Undecoded {
		return check.Skip("%s", claims.NotDecodedMessage(t.Token))
	}
	var a Answer
	if !t.Answer(Name, &a) {
		return check.Skip("the signature was not verified in the probe (no provider, or the run ended first)")
	}
	if a.KeySet == "jwks_uri" && a.Error == "no key set" {
		return check.Skip("no key set was served (see JWKS-001)")
	}
	if !a.Verified {
		return check.Failf("the signature does not verify with the %s keys: %s", a.KeySet, a.Error)
	}
	return check.Pass("the signature verifies with %s of the %s keys", a.Key, a.KeySet)
}
