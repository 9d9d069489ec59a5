package kubeuser_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
)

func claims(t *testing.T, s string) kubeuser.Claims {
	t.Helper()
	c, err := kubeuser.ParseClaims([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMapping(t *testing.T) {
	p := "oidc:"
	tests := []struct {
		name, claims string
		m            kubeuser.Mapping
		user         string
		groups       []string
		wantErr      string // substring of the first error of Username, EmailVerified, Groups, RequiredClaims
	}{
		{"sub with prefix", `{"sub":"u1","groups":["a","b"]}`, kubeuser.Mapping{UsernameClaim: "sub", UsernamePrefix: &p, GroupsClaim: "groups", GroupsPrefix: &p},
			"oidc:u1", []string{"oidc:a", "oidc:b"}, ""},
		{"groups as one string", `{"sub":"u1","groups":"a"}`, kubeuser.Mapping{UsernameClaim: "sub", GroupsClaim: "groups"}, "u1", []string{"a"}, ""},
		{"groups absent", `{"sub":"u1"}`, kubeuser.Mapping{UsernameClaim: "sub", GroupsClaim: "groups"}, "u1", nil, ""},
		{"username missing", `{"sub":"u1"}`, kubeuser.Mapping{UsernameClaim: "email"}, "", nil, `"email" is not in the token`},
		{"username not a string", `{"sub":7}`, kubeuser.Mapping{UsernameClaim: "sub"}, "", nil, "not a string"},
		{"email unverified", `{"email":"a@b","email_verified":false}`, kubeuser.Mapping{UsernameClaim: "email"}, "a@b", nil, "email not verified"},
		{"email_verified absent", `{"email":"a@b"}`, kubeuser.Mapping{UsernameClaim: "email"}, "a@b", nil, ""},
		{"groups a number", `{"sub":"u","groups":42}`, kubeuser.Mapping{UsernameClaim: "sub", GroupsClaim: "groups"}, "u", nil, "neither a string nor an array"},
		{"required claim absent", `{"sub":"u"}`, kubeuser.Mapping{UsernameClaim: "sub", Required: map[string]string{"hd": "x"}}, "u", nil, "hd is not in the token"},
		{"required claim other value", `{"sub":"u","hd":"y"}`, kubeuser.Mapping{UsernameClaim: "sub", Required: map[string]string{"hd": "x"}}, "u", nil, `"y", want "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claims(t, tt.claims)
			user, err := tt.m.Username(c)
			var groups []string
			if err == nil {
				err = tt.m.EmailVerified(c)
			}
			if err == nil {
				groups, err = tt.m.Groups(c)
			}
			if err == nil {
				err = tt.m.RequiredClaims(c)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want %q", err, tt.wantErr)
			case tt.wantErr == "" && (user != tt.user || !slices.Equal(groups, tt.groups)):
				t.Errorf("user %q groups %q, want %q %q", user, groups, tt.user, tt.groups)
			}
		})
	}
}

func TestAudiences(t *testing.T) {
	for _, tt := range []struct {
		claims string
		ok     bool
	}{{`{"aud":"a"}`, true}, {`{"aud":["x","a"]}`, true}, {`{"aud":["x"]}`, false}, {`{}`, false}, {`{"aud":3}`, false}} {
		if err := kubeuser.Audiences(claims(t, tt.claims), []string{"a", "b"}); (err == nil) != tt.ok {
			t.Errorf("%s: %v, want ok %v", tt.claims, err, tt.ok)
		}
	}
}
