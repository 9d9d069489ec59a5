package trust

import (
	"strings"
	"testing"
)

func TestLike(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "anything", true},
		{"?", "", false},
		{"?", "é", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a*c", "ac", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"*:default:*", "system:serviceaccount:default:app", true},
		{"system:serviceaccount:*:app", "system:serviceaccount:prod:app", true},
		{"system:serviceaccount:*:app", "system:serviceaccount:prod:app2", false},
		{"**a", "bbba", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"ABC", "abc", false},
		{"exact", "exact", true},
	}
	for _, tt := range tests {
		if got := Like(tt.pattern, tt.s); got != tt.want {
			t.Errorf("Like(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}

// A pathological pattern finishes quickly (no exponential backtracking).
func TestLikeLinearish(t *testing.T) {
	s := strings.Repeat("a", 5000)
	p := strings.Repeat("*a", 200) + "b"
	if Like(p, s) {
		t.Fatal("matched")
	}
}
