package trust

import (
	"strings"
	"testing"
)

func TestLeastPrivilege(t *testing.T) {
	doc := LeastPrivilege(testARN, "https://"+testHost, "sts.amazonaws.com", sa)
	want := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "` + testARN + `"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "` + testHost + `:aud": "sts.amazonaws.com",
          "` + testHost + `:sub": "` + sa + `"
        }
      }
    }
  ]
}
`
	if string(doc) != want {
		t.Fatalf("LeastPrivilege:\n%s\nwant:\n%s", doc, want)
	}
	p, err := Parse(doc)
	if err != nil {
		t.Fatalf("Parse(LeastPrivilege): %v", err)
	}
	tests := []struct {
		name    string
		claims  map[string][]string
		allowed bool
	}{
		{"the token it was made for", claims(sa, sts, nil), true},
		{"another service account", claims(strings.Replace(sa, "app", "other", 1), sts, nil), false},
		{"another audience", claims(sa, []string{"other"}, nil), false},
		{"no sub", claims("", sts, nil), false},
	}
	for _, tt := range tests {
		if d := p.Evaluate(Request{ProviderARN: testARN, Claims: tt.claims}); d.Allowed != tt.allowed {
			t.Errorf("%s: Allowed = %v, want %v (%s)", tt.name, d.Allowed, tt.allowed, d.Reason)
		}
	}
}
