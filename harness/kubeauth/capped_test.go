package kubeauth

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCappedLeavesOutOversizeKeys(t *testing.T) {
	huge := strings.Repeat("A", 1_000_000)
	tests := []struct {
		name     string
		body     string
		wantKids []string
		same     bool
	}{
		{"nothing to drop", `{"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB"}]}`, []string{"a"}, true},
		{"huge modulus dropped", `{"keys":[{"kty":"RSA","kid":"big","n":"` + huge + `","e":"AQAB"},{"kty":"EC","kid":"ec"}]}`, []string{"ec"}, false},
		{"not a key set", `not json`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := capped([]byte(tt.body))
			if tt.same {
				if string(got) != tt.body {
					t.Fatalf("capped changed a body with nothing over the caps")
				}
				return
			}
			var set struct {
				Keys []struct {
					Kid string `json:"kid"`
				} `json:"keys"`
			}
			if err := json.Unmarshal(got, &set); err != nil {
				t.Fatal(err)
			}
			var kids []string
			for _, k := range set.Keys {
				kids = append(kids, k.Kid)
			}
			if strings.Join(kids, ",") != strings.Join(tt.wantKids, ",") {
				t.Errorf("kids %v, want %v", kids, tt.wantKids)
			}
		})
	}
}
