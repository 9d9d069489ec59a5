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
			if o.Profile != "" || o.For != "" || o.Timeout != time.Minute || o.Strict || o.DryRun || o.Parallel != 16 || o.Console != "auto" {
				t.Errorf("defaults: %+v", o)
			}
		}},
		{"fleet", []string{"--targets", "t.yaml", "--shard", "1/4", "--parallel", "4", "--waivers", "w.yaml", "--rerun-failed", "r.json", "--console", "full", "--html", "h"}, func(t *testing.T, o *RunOptions) {
			if o.Targets != "t.yaml" || o.Shard != "1/4" || o.Parallel != 4 || o.Waivers != "w.yaml" || o.RerunFailed != "r.json" || o.Console != "full" || o.HTML != "h" {
				t.Errorf("fleet flags: %+v", o)
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

func TestParseShard(t *testing.T) {
	s, err := parseShard("2/3")
	if err != nil || s.index != 2 || s.count != 3 || !s.holds(5) || s.holds(4) {
		t.Errorf("parseShard(2/3) = %+v, %v", s, err)
	}
	if s, err := parseShard(""); s != nil || err != nil || !s.holds(7) {
		t.Errorf("no shard: %+v, %v; want every target held", s, err)
	}
	for _, bad := range []string{"3/3", "-1/3", "1/0", "1", "a/b", "1/2/3"} {
		if _, err := parseShard(bad); err == nil {
			t.Errorf("parseShard(%q) accepted", bad)
		}
	}
}
