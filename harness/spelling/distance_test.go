package spelling

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"repository", "repository", 0},
		{"repo", "repository", 6},
		{"repositoryid", "repository_id", 1},
		{"jwks_url", "jwks_uri", 1},
		{"kitten", "sitting", 3},
		{"a", "abcdefghijkl", 11}, // beyond 8 in length: the difference
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}
