// Package webidentity verifies a web identity token the way STS does for
// AssumeRoleWithWebIdentity: the IAM OIDC provider is found by the token's
// iss, the key by its kid from the provider's JWKS (through a KeySource),
// the signature checked with jwx (RS256/384/512 and ES256/384/512 only),
// then the claims STS requires (aud among the provider's client IDs, sub,
// exp/iat/nbf as integers, not expired). Failures are *Error values carrying
// the code, message and HTTP status STS answers with.
//
// It is a product piece shared by the mock STS (fixtures/sts), the claims
// suite and the explain command. No error it returns contains the token.
package stsrules
