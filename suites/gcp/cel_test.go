package gcp

import (
	"context"
	"strings"
	"testing"
	"time"
)

// provider compiles a provider with mapping and condition.
func provider(t *testing.T, mapping map[string]string, condition string) *Provider {
	t.Helper()
	p := &Provider{Name: providerName, AttributeMapping: mapping, AttributeCondition: condition}
	p.OIDC.IssuerURI = "https://idp.test"
	if err := p.validate(); err != nil {
		t.Fatal(err)
	}
	if err := p.compile(); err != nil {
		t.Fatal(err)
	}
	return p
}

// serviceAccount is the assertion of a Kubernetes service-account token.
func serviceAccount(sub string) map[string]any {
	return map[string]any{
		"iss": "https://idp.test", "sub": sub, "aud": []any{"aud-1"}, "iat": float64(1700000000),
		"kubernetes.io": map[string]any{"namespace": "default", "serviceaccount": map[string]any{"name": "my-sa"}},
		"groups":        []any{"a", "b"},
	}
}

func TestMap(t *testing.T) {
	sa := "system:serviceaccount:default:my-sa"
	tests := []struct {
		name       string
		mapping    map[string]string
		assertion  map[string]any
		wantSub    string
		wantErr    string
		wantAttr   string
		wantAttrIs any
	}{
		{"sub", map[string]string{subjectKey: "assertion.sub"}, serviceAccount(sa), sa, "", "", nil},
		{"127 bytes", map[string]string{subjectKey: "assertion.sub"}, serviceAccount(strings.Repeat("s", 127)), strings.Repeat("s", 127), "", "", nil},
		{"128 bytes", map[string]string{subjectKey: "assertion.sub"}, serviceAccount(strings.Repeat("s", 128)), "", "The size of mapped attribute exceeds the 127 bytes limit.", "", nil},
		{"100 characters, 200 bytes", map[string]string{subjectKey: "assertion.sub"}, serviceAccount(strings.Repeat("\u00e9", 100)), "", "200 bytes", "", nil},
		{"a claim the token lacks", map[string]string{subjectKey: "assertion.email"}, serviceAccount(sa), "", "no such key", "", nil},
		{"a number", map[string]string{subjectKey: "assertion.iat"}, serviceAccount(sa), "", "not a string", "", nil},
		{"a nested claim", map[string]string{subjectKey: "assertion.sub", "attribute.ns": "assertion['kubernetes.io'].namespace"}, serviceAccount(sa), sa, "", "ns", "default"},
		{"a list attribute", map[string]string{subjectKey: "assertion.sub", "attribute.groups": "assertion.groups"}, serviceAccount(sa), sa, "", "groups", []any{"a", "b"}},
		{"extract", map[string]string{subjectKey: "assertion.sub.extract('system:serviceaccount:{ns}:')"}, serviceAccount(sa), "default", "", "", nil},
		{"strings extension", map[string]string{subjectKey: "assertion.sub.split(':')[3].upperAscii()"}, serviceAccount(sa), "MY-SA", "", "", nil},
		{"over 8 KB together", map[string]string{subjectKey: "assertion.sub", "attribute.a": "assertion.pad", "attribute.b": "assertion.pad"},
			func() map[string]any { a := serviceAccount(sa); a["pad"] = strings.Repeat("x", 5000); return a }(), "", "8 KB", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := provider(t, tt.mapping, "").Map(context.Background(), tt.assertion)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Google["subject"] != tt.wantSub {
				t.Errorf("google.subject %v, want %q", m.Google["subject"], tt.wantSub)
			}
			if tt.wantAttr != "" && !equal(m.Attribute[tt.wantAttr], tt.wantAttrIs) {
				t.Errorf("attribute.%s %v, want %v", tt.wantAttr, m.Attribute[tt.wantAttr], tt.wantAttrIs)
			}
		})
	}
}

// equal compares two mapped values (strings or lists of strings).
func equal(a, b any) bool {
	la, oka := a.([]any)
	lb, okb := b.([]any)
	if oka && okb {
		if len(la) != len(lb) {
			return false
		}
		for i := range la {
			if la[i] != lb[i] {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestAdmit(t *testing.T) {
	mapping := map[string]string{subjectKey: "assertion.sub", "attribute.ns": "assertion['kubernetes.io'].namespace"}
	tests := []struct {
		name, condition, wantErr string
	}{
		{"none", "", ""},
		{"true over attribute", "attribute.ns == 'default'", ""},
		{"true over google", "google.subject.startsWith('system:serviceaccount:')", ""},
		{"true over assertion", "'a' in assertion.groups && assertion.iat > 1", ""},
		{"false", "attribute.ns == 'prod'", "The given credential is rejected by the attribute condition."},
		{"an error", "assertion.missing == 'x'", "does not evaluate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := provider(t, mapping, tt.condition)
			a := serviceAccount("system:serviceaccount:default:my-sa")
			m, err := p.Map(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			err = p.Admit(context.Background(), a, m)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "unauthorized_client") {
				t.Fatalf("error %v, want %q (unauthorized_client)", err, tt.wantErr)
			}
		})
	}
}

// TestHostileCEL: an expression that asks for a billion steps, or for a
// string built up to gigabytes, is stopped by the cost bound, quickly; a
// cancelled context stops it too.
func TestHostileCEL(t *testing.T) {
	ten := "[0,1,2,3,4,5,6,7,8,9]"
	nested := ten + ".all(a, " + ten + ".all(b, " + ten + ".all(c, " + ten + ".all(d, " + ten + ".all(e, " + ten +
		".all(f, " + ten + ".all(g, " + ten + ".all(h, " + ten + ".all(i, a+b+c+d+e+f+g+h+i >= 0)))))))))"
	// 10^4 concatenations of 300 KB: far more than the time bound allows
	// on any machine (10^3 took 0.7 s on an idle one).
	growth := ten + ".all(a, " + ten + ".all(b, " + ten + ".all(c, " + ten + ".all(d, (assertion.sub + assertion.sub + assertion.sub).size() > 0))))"
	for name, expr := range map[string]string{"nested comprehensions": nested, "string growth": growth} {
		t.Run(name, func(t *testing.T) {
			p := provider(t, map[string]string{subjectKey: "assertion.sub"}, expr)
			a := serviceAccount(strings.Repeat("x", 100000))
			start := time.Now()
			err := p.Admit(context.Background(), a, Mapped{Google: map[string]any{}, Attribute: map[string]any{}})
			if err == nil || !strings.Contains(err.Error(), "bound") {
				t.Errorf("error %v, want the cost bound", err)
			}
			if d := time.Since(start); d > 10*evalTimeout { // a hang guard, not a speed test: a loaded machine is slow
				t.Errorf("took %s", d)
			}
		})
	}
	t.Run("cancelled context", func(t *testing.T) {
		p := provider(t, map[string]string{subjectKey: "assertion.sub"}, nested)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := p.Admit(ctx, serviceAccount("s"), Mapped{})
		if err == nil || !strings.Contains(err.Error(), "bound") {
			t.Errorf("error %v, want stopped", err)
		}
	})
}

func TestExtract(t *testing.T) {
	for _, tt := range []struct{ s, tmpl, want string }{
		{"system:serviceaccount:ns:sa", "system:serviceaccount:{ns}:", "ns"},
		{"projects/p/repo", "projects/{x}", "p/repo"},
		{"abc", "x{y}", ""},
		{"abc", "no placeholder", ""},
	} {
		if got := extract(tt.s, tt.tmpl); got != tt.want {
			t.Errorf("extract(%q, %q) = %q, want %q", tt.s, tt.tmpl, got, tt.want)
		}
	}
}
