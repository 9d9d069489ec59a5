package vaultauth

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestGlob(t *testing.T) {
	for _, tt := range []struct {
		pattern, subj string
		want          bool
	}{
		{"", "", true}, {"", "a", false}, {"*", "", true}, {"abc", "abc", true}, {"abc", "abcd", false},
		{"a*", "abc", true}, {"*c", "abc", true}, {"a*c", "abbbc", true}, {"a*c", "abcd", false},
		{"system:serviceaccount:kube-system:*", "system:serviceaccount:default:my-sa", false},
		{"*:default:*", "system:serviceaccount:default:my-sa", true}, {"a*b*c", "acb", false}, {"a?c", "abc", false},
	} {
		if got := Glob(tt.pattern, tt.subj); got != tt.want {
			t.Errorf("Glob(%q, %q) = %v, want %v", tt.pattern, tt.subj, got, tt.want)
		}
	}
}

// saClaims are the claims of a service-account token, as cap decodes them.
func saClaims(t *testing.T) Claims {
	t.Helper()
	c, err := ParseClaims([]byte(`{"sub":"system:serviceaccount:default:my-sa","aud":["sts.amazonaws.com"],"n":42,"ok":true,
		"groups":["a","b"],"kubernetes.io":{"namespace":"default","serviceaccount":{"name":"my-sa"},"list":["x","y"]},"a/b":"slash"}`))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMatchBoundClaims(t *testing.T) {
	tests := []struct {
		name    string
		typ     string
		bound   map[string]any
		wantErr string
	}{
		{"exact string", ClaimsString, map[string]any{"sub": "system:serviceaccount:default:my-sa"}, ""},
		{"a list bound: any value", ClaimsString, map[string]any{"sub": []any{"x", "system:serviceaccount:default:my-sa"}}, ""},
		{"a list claim: any member", ClaimsString, map[string]any{"groups": "b"}, ""},
		{"nested by JSON pointer", ClaimsString, map[string]any{"/kubernetes.io/serviceaccount/name": "my-sa"}, ""},
		{"a list index by JSON pointer", ClaimsString, map[string]any{"/kubernetes.io/list/1": "y"}, ""},
		{"an escaped pointer", ClaimsString, map[string]any{"/a~1b": "slash"}, ""},
		{"a number as Vault stores it", ClaimsString, map[string]any{"n": jsonNumber("42")}, ""},
		{"a bool", ClaimsString, map[string]any{"ok": true}, ""},
		{"glob", ClaimsGlob, map[string]any{"sub": "system:serviceaccount:default:*"}, ""},
		{"string is not glob", ClaimsString, map[string]any{"sub": "system:serviceaccount:default:*"}, `claim "sub" does not match any associated bound claim values`},
		{"glob mismatch", ClaimsGlob, map[string]any{"sub": "system:serviceaccount:kube-system:*"}, `claim "sub" does not match`},
		{"missing", ClaimsString, map[string]any{"hd": "example.com"}, `claim "hd" is missing`},
		{"missing by pointer", ClaimsString, map[string]any{"/kubernetes.io/pod/name": "p"}, `claim "/kubernetes.io/pod/name" is missing`},
		{"an object claim", ClaimsString, map[string]any{"kubernetes.io": "x"}, "received claim is not a string, bool, int or list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Role{BoundClaimsType: tt.typ, BoundClaims: tt.bound}
			err := r.MatchBoundClaims(saClaims(t))
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestIdentity(t *testing.T) {
	c := saClaims(t)
	tests := []struct {
		name    string
		role    Role
		wantErr string
	}{
		{"user sub", Role{UserClaim: "sub"}, ""},
		{"user by pointer", Role{UserClaim: "/kubernetes.io/namespace", UserClaimJSONPointer: true}, ""},
		{"a pointer without user_claim_json_pointer is a name", Role{UserClaim: "/kubernetes.io/namespace"}, "not found in token"},
		{"user missing", Role{UserClaim: "email"}, `claim "email" not found in token`},
		{"user not a string", Role{UserClaim: "n"}, `claim "n" could not be converted to string`},
		{"groups", Role{UserClaim: "sub", GroupsClaim: "groups"}, ""},
		{"groups missing", Role{UserClaim: "sub", GroupsClaim: "roles"}, `failed to fetch groups: "roles" claim not found in token`},
		{"groups a number", Role{UserClaim: "sub", GroupsClaim: "n"}, `value 42 in groups claim could not be parsed as string`},
		{"groups an object", Role{UserClaim: "sub", GroupsClaim: "kubernetes.io"}, `"kubernetes.io" claim could not be converted to string list`},
		{"a mapping of a number", Role{UserClaim: "sub", ClaimMappings: map[string]string{"n": "n"}}, "error converting claim 'n' to string"},
		{"a mapping by pointer", Role{UserClaim: "sub", ClaimMappings: map[string]string{"/kubernetes.io/namespace": "ns"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.role.User(c)
			if err == nil {
				_, err = tt.role.Groups(c)
			}
			if err == nil {
				_, err = tt.role.Metadata(c)
			}
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("error %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestUnboundAudience(t *testing.T) {
	for _, tt := range []struct {
		claims string
		bound  []string
		want   bool
	}{
		{`{"aud":["a"]}`, nil, true}, {`{"aud":"a"}`, nil, true}, {`{"aud":[]}`, nil, false}, {`{"aud":""}`, nil, false},
		{`{}`, nil, false}, {`{"aud":["a"]}`, []string{"b"}, false},
	} {
		c, err := ParseClaims([]byte(tt.claims))
		if err != nil {
			t.Fatal(err)
		}
		r := &Role{BoundAudiences: tt.bound}
		if got := r.UnboundAudience(c) != nil; got != tt.want {
			t.Errorf("%s bound %q: refused %v, want %v", tt.claims, tt.bound, got, tt.want)
		}
	}
}

// jsonNumber is a bound-claim number as Vault stores it.
func jsonNumber(s string) any { return json.Number(s) }
