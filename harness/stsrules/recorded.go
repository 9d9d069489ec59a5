package stsrules

import (
	"context"
	"errors"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// RecordedSignature is the SignatureCheck of a run's evidence: the model's
// verdict the probe recorded on the raw token (model), then KeyPolicy on the
// key it names, read from jwks, the key set the run fetched. ok false (no
// verdict recorded) refuses under fallback with why: the keys were not had.
func RecordedSignature(model evidence.Verification, ok bool, jwks []byte, fallback RuleID, why string) SignatureCheck {
	return func(_ context.Context, _ Provider, h Header) (Signer, *Error) {
		if !ok {
			return Signer{}, KeyNotRetrieved(fallback, errors.New(why))
		}
		if !model.OK {
			id := RuleID(model.Rule)
			if _, known := Lookup(id); !known {
				id = RuleSignature // evidence of an older run
			}
			return Signer{}, refuse(id, model.Error, errors.New(model.Error))
		}
		if model.KeyIndex == 0 {
			return Signer{}, nil // evidence of an older run: the key was not recorded
		}
		keys, err := ParseJWKS(jwks)
		if err != nil {
			return Signer{}, err
		}
		for _, k := range keys {
			if k.Index == model.KeyIndex-1 {
				if err := KeyPolicy(k, h.Alg); err != nil {
					return Signer{}, err
				}
				return Signer{Key: k, Of: 1}, nil
			}
		}
		return Signer{}, KeyNotRetrieved(RuleKeyID, errors.New("the key the probe recorded is not in the JWKS"))
	}
}
