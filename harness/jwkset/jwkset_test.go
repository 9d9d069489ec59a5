package jwkset

import (
	"encoding/base64"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCheckModulus(t *testing.T) {
	b64 := base64.RawURLEncoding.EncodeToString
	at16k := append([]byte{0x80}, make([]byte, 2047)...)
	tests := []struct {
		name string
		n    string
		bits int
		want string // "" = within the caps
	}{
		{"2048 bits", b64(append([]byte{0x80}, make([]byte, 255)...)), 2048, ""},
		{"16384 bits", b64(at16k), 16384, ""},
		{"16384 bits with a leading zero byte", b64(append([]byte{0}, at16k...)), 16384, ""},
		{"16385 bits", b64(append([]byte{1}, make([]byte, 2048)...)), 16385, "16385 bits, over the 16384-bit cap"},
		{"a million characters", strings.Repeat("q", 1_000_000), 0, "about 6000000 bits, over the 16384-bit cap"},
	}
	for _, tt := range tests {
		err := CheckModulus(tt.n)
		if err == nil && tt.bits > 0 {
			err = CheckModulusBits(tt.bits)
		}
		var c *CapError
		if tt.want == "" && err != nil || tt.want != "" && (!errors.As(err, &c) || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestMemo(t *testing.T) {
	var m Memo[string]
	var calls atomic.Int32
	parse := func(b []byte) (string, error) { calls.Add(1); return strings.ToUpper(string(b)), nil }
	for range 3 {
		if v, _ := m.Get([]byte("a"), parse); v != "A" {
			t.Fatalf("Get = %q", v)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("parsed %d times, want once", calls.Load())
	}
	for _, b := range []string{"b", "c", "d", "e", "a"} { // "a" was dropped: memoSize bodies
		m.Get([]byte(b), parse)
	}
	if calls.Load() != 6 {
		t.Errorf("parsed %d times, want 6", calls.Load())
	}
}
