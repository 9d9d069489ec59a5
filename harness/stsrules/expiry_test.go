package stsrules

import (
	"strings"
	"testing"
	"time"
)

func TestExpiryAt(t *testing.T) {
	exp := time.Unix(1_760_000_000, 0)
	tests := []struct {
		after             time.Duration
		expired, inWindow bool
		msg               string
	}{
		{-time.Minute, false, false, "expires in 1m0s"},
		{0, false, true, "STS still accepts it for 5m0s"},
		{2*time.Minute + 10*time.Second, false, true, "expired 2m10s ago: STS still accepts it for 2m50s"},
		{ExpiryWindow - time.Second, false, true, "for 1s"},
		{ExpiryWindow, true, false, "beyond IAM's 5m0s window"},
		{6 * time.Minute, true, false, "expired 6m0s ago"},
	}
	for _, tt := range tests {
		got := ExpiryAt(exp, exp.Add(tt.after))
		if got.Expired != tt.expired || got.InWindow != tt.inWindow || !strings.Contains(got.String(), tt.msg) {
			t.Errorf("%v after exp: %+v %q, want expired %v in window %v, %q", tt.after, got, got, tt.expired, tt.inWindow, tt.msg)
		}
	}
}

// A token inside the window verifies; the same beyond it does not.
func TestVerifyExpiryWindow(t *testing.T) {
	v := verifier(t)
	for _, tt := range []struct {
		ago time.Duration
		ok  bool
	}{{2 * time.Minute, true}, {6 * time.Minute, false}} {
		c := goodClaims()
		c["exp"] = testNow.Add(-tt.ago).Unix()
		raw := sign(t, c)
		_, err := v.Verify(t.Context(), raw)
		if (err == nil) != tt.ok {
			t.Errorf("exp %v ago: error %v, want ok %v", tt.ago, err, tt.ok)
		}
	}
}
