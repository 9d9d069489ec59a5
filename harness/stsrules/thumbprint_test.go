package stsrules

import "testing"

func TestThumbprint(t *testing.T) {
	// SHA-1("abc") (FIPS 180-2 appendix A.1): IAM's form is 40 lower-case hex.
	if got, want := Thumbprint([]byte("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d"; got != want {
		t.Errorf("Thumbprint(abc) = %q, want %q", got, want)
	}
	if got := Thumbprint(nil); len(got) != 40 {
		t.Errorf("Thumbprint(nil) = %q, want 40 hex characters", got)
	}
}
