package stsrules

import (
	"crypto/sha1" //nolint:gosec // IAM's definition of a thumbprint
	"encoding/hex"
)

// Thumbprint is IAM's thumbprint of a certificate: the SHA-1 of its DER
// encoding as 40 lower-case hex characters, the form an IAM OIDC provider's
// ThumbprintList holds ("Obtain the thumbprint for an OpenID Connect
// identity provider", IAM User Guide). For a server's chain IAM takes the
// last certificate the server sends.
func Thumbprint(der []byte) string {
	sum := sha1.Sum(der) //nolint:gosec // IAM's definition
	return hex.EncodeToString(sum[:])
}
