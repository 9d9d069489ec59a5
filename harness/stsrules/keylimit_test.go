package stsrules

import (
	"strings"
	"testing"
)

// TestKeyLimitCaveat: IAM's documented 100 RSA and 100 EC keys, counted
// apart, is a caveat (observed, unconfirmed), never a refusal.
func TestKeyLimitCaveat(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    KeyCount
		want string // "" for no caveat
	}{
		{"100 RSA and 100 EC", KeyCount{RSA: 100, EC: 100, Total: 200}, ""},
		{"101 RSA", KeyCount{RSA: 101, Total: 101}, "101 RSA keys, over"},
		{"101 EC", KeyCount{EC: 101, Total: 101}, "101 EC keys, over"},
		{"both over", KeyCount{RSA: 101, EC: 150, Total: 251}, "101 RSA keys and 150 EC keys"},
		{"201 keys of other types", KeyCount{Total: 201}, "201 keys, over"},
	} {
		got := KeyLimitCaveat(tt.c)
		switch {
		case tt.want == "" && got != "":
			t.Errorf("%s: caveat %q, want none", tt.name, got)
		case tt.want != "" && (!strings.Contains(got, tt.want) || !strings.Contains(got, "observed, unconfirmed")):
			t.Errorf("%s: caveat %q, want %q and \"observed, unconfirmed\"", tt.name, got, tt.want)
		}
	}
}

// TestCountKeys counts by kty, usable or not.
func TestCountKeys(t *testing.T) {
	keys := []Key{{Type: "RSA"}, {Type: "RSA", Unusable: RuleKeyParse}, {Type: "EC"}, {Type: "OKP"}}
	if got, want := CountKeys(keys), (KeyCount{RSA: 2, EC: 1, Total: 4}); got != want {
		t.Errorf("CountKeys = %+v, want %+v", got, want)
	}
}
