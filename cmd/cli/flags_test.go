package cli

import (
	"context"
	"io"
	"slices"
	"testing"
	"time"
)

func TestNewCmdRunFlags(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, o *RunOptions)
	}{
		{"defaults", []string{"--issuer", "https://a.test"}, func(t *testing.T, o *RunOptions) {
			if o.Profile != "" || o.For != "" || o.Timeout != time.Minute || o.Strict || o.DryRun {
				t.Errorf("defaults: %+v", o)
			}
		}},
		{"repeatable", []string{"--issuer", "https://a.test", "--issuer", "https://b.test", "--thumbprint", "x", "--thumbprint", "y", "--resolve", "a:1:2", "--focus", "f"}, func(t *testing.T, o *RunOptions) {
			if !slices.Equal(o.Issuers, []string{"https://a.test", "https://b.test"}) || len(o.Thumbprints) != 2 || len(o.Resolve) != 1 || len(o.Focus) != 1 {
				t.Errorf("repeatable flags: %+v", o)
			}
		}},
		{"reports", []string{"--junit", "j", "--json", "r", "--markdown", "m", "--save-evidence", "e", "--strict", "--timeout", "5s", "--profile", "oidc"}, func(t *testing.T, o *RunOptions) {
			if o.JUnit != "j" || o.JSON != "r" || o.Markdown != "m" || o.SaveEvidence != "e" || !o.Strict || o.Timeout != 5*time.Second || o.Profile != "oidc" {
				t.Errorf("report flags: %+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *RunOptions
			cmd := NewCmdRun(IO{Out: io.Discard, Err: io.Discard}, func(_ context.Context, o *RunOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}
}

func TestParseResolve(t *testing.T) {
	m, err := parseResolve([]string{"issuer.test:443:127.0.0.2,127.0.0.3", "keys.test:443:127.0.0.1:8443", "v6.test:443:[::1]:9"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m["issuer.test:443"], []string{"127.0.0.2", "127.0.0.3"}) || !slices.Equal(m["keys.test:443"], []string{"127.0.0.1:8443"}) || !slices.Equal(m["v6.test:443"], []string{"[::1]:9"}) {
		t.Errorf("parseResolve = %v", m)
	}
	for _, bad := range []string{"a", "a:b:1.2.3.4", "a:443:", "a:443:not-an-ip", "a:0:1.2.3.4"} {
		if _, err := parseResolve([]string{bad}); err == nil {
			t.Errorf("parseResolve(%q) accepted", bad)
		}
	}
}

func TestParseThumbprints(t *testing.T) {
	got, err := parseThumbprints([]string{"9B:20:54:1C:49:D3:8B:DE:83:44:C9:F5:98:3C:B8:66:15:B1:15:60"})
	if err != nil || got[0] != "9b20541c49d38bde8344c9f5983cb86615b11560" {
		t.Errorf("colon form: %v %v", got, err)
	}
	six := []string{}
	for i := 0; i < 6; i++ {
		six = append(six, "9b20541c49d38bde8344c9f5983cb86615b11560")
	}
	if _, err := parseThumbprints(six); err == nil {
		t.Error("accepted 6 thumbprints")
	}
}
