package stsrules

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// A token over MaxDecodedBytes is measured, not decoded: STS's length rule
// refuses it, first, in characters; just under, it is still decoded.
func TestOversizedTokenIsMeasuredNotDecoded(t *testing.T) {
	good := b64(`{"alg":"RS256"}`) + "." + b64(`{"iss":"https://x"}`) + ".c2ln"
	huge := good[:len(good)-4] + strings.Repeat("A", 1_000_000)
	d := Decode(huge)
	if d.Length != len(huge) || d.Parts != 3 || d.Header != nil || d.Claims != nil || !d.Undecoded || !strings.Contains(d.HeaderError, "not decoded") || strings.Contains(d.HeaderError, "STS") {
		t.Errorf("Decode of %d characters: length %d, parts %d, header %q (%s)", len(huge), d.Length, d.Parts, d.Header, d.HeaderError)
	}
	e := d.CheckLength()
	if e == nil || e.Rule != RuleTokenLength || !strings.Contains(e.Cause.Error(), fmt.Sprintf("has %d characters", len(huge))) {
		t.Errorf("CheckLength = %v, want RuleTokenLength naming the length", e)
	}
	if _, err := (&Verifier{}).Verify(context.Background(), huge); err == nil || AsError(err, "").Rule != RuleTokenLength {
		t.Errorf("Verify = %v, want RuleTokenLength", err)
	}
	// Over MaxDecodedBytes in bytes but within STS's limit in characters:
	// not base64url, and said so, not "far over STS's limit".
	wide := good[:len(good)-4] + strings.Repeat("\u00e9", 18000)
	if d := Decode(wide); d.Length > MaxTokenLength || d.CheckLength() != nil || d.CheckShape() == nil || strings.Contains(d.CheckShape().Message, "limit") {
		t.Errorf("a token of %d bytes and %d characters: shape %v", len(wide), d.Length, d.CheckShape())
	}
	under := good[:len(good)-4] + strings.Repeat("A", MaxDecodedBytes-len(good))
	if d := Decode(under); d.Header == nil || d.Claims == nil || d.Undecoded {
		t.Errorf("a token of %d bytes was not decoded: %s", len(under), d.HeaderError)
	}
}
