package stsrules

import "context"

// VerifyUnsigned judges raw as Verify does except that it looks up no key
// and checks no signature: the token's shape, iss against the providers,
// alg among the accepted ones, the claims and the times are all checked, so
// every answer but the key's and the signature's is still STS's. Keys may
// be nil.
//
// It is for explaining a token offline when its issuer's JWKS is not at
// hand (the explain command without --jwks), and says so in its name: an
// Identity it returns proves nothing about who signed the token. Nothing
// that grants access (the mock STS) calls it; they call Verify, which
// always checks the signature.
func (v *Verifier) VerifyUnsigned(ctx context.Context, raw string) (*Identity, error) {
	id, err := v.verify(ctx, raw, false)
	if err != nil {
		return nil, err
	}
	return id, nil
}
