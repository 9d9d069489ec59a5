// Package jwkset holds the caps that bound the work a hostile key set (a
// JWKS body) can cause, shared by every reader of key sets: the STS model
// (harness/stsrules, which the probe's signature check, the mock STS and
// explain call) and the JWKS suite. At most MaxKeys keys are read; an RSA
// modulus over MaxRSABits is refused from the length of its base64url text,
// before any decoding or big-integer arithmetic, and never used to verify
// (the JWKS suite fails JWKS-007 on it, the model refuses the key under its
// key-size rule). Memo remembers what a body parsed to, by its digest, so a
// key set judged by many checks, or fetched again unchanged, is parsed once.
package jwkset

import (
	"encoding/base64"
	"fmt"
)

// Caps of a key set.
const (
	// MaxKeys is how many keys of a set are read (the JWKS suite counts
	// the rest; the STS model refuses a longer set).
	MaxKeys = 1000
	// MaxRSABits is the largest RSA modulus used to verify (the largest
	// that common JOSE libraries and Go's crypto/x509 accept).
	MaxRSABits = 16384
)

// CapError is a key refused by a cap: a finding about its size, not a
// malformed key.
type CapError struct{ msg string }

// Error says which cap and by how much.
func (e *CapError) Error() string { return e.msg }

// CheckModulus refuses, as a *CapError, an RSA modulus whose base64url text
// n is too long to be at most MaxRSABits: judged from the length alone, so
// a million-character modulus costs nothing.
func CheckModulus(n string) error {
	// A modulus of MaxRSABits may carry one (non-minimal) leading zero
	// byte; padded or standard base64 is no longer than this either.
	if len(n) > base64.StdEncoding.EncodedLen(MaxRSABits/8+1) {
		return &CapError{fmt.Sprintf("RSA modulus of about %d bits, over the %d-bit cap: not used to verify",
			base64.RawURLEncoding.DecodedLen(len(n))*8, MaxRSABits)}
	}
	return nil
}

// CheckModulusBits refuses, as a *CapError, a decoded modulus of more than
// MaxRSABits bits (one that passed CheckModulus by a byte or two).
func CheckModulusBits(bits int) error {
	if bits > MaxRSABits {
		return &CapError{fmt.Sprintf("RSA modulus of %d bits, over the %d-bit cap: not used to verify", bits, MaxRSABits)}
	}
	return nil
}
