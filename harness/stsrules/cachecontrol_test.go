package stsrules

import (
	"testing"
	"time"
)

func TestMaxAge(t *testing.T) {
	for _, tt := range []struct {
		cc   string
		want time.Duration
		ok   bool
	}{
		{"max-age=3600", time.Hour, true},
		{"public, max-age=3600", time.Hour, true},
		{"Max-Age=60", time.Minute, true},
		{` max-age = 60 `, time.Minute, true},
		{`no-cache, max-age="60"`, time.Minute, true},
		{"max-age=0", 0, true},
		{"max-age=60, max-age=120", time.Minute, true}, // the first counts
		{`private="a, max-age=5", max-age=7`, 7 * time.Second, true},
		{"max-age=-1", 0, false},
		{"max-age=abc", 0, false},
		{"max-age=", 0, false},
		{"max-age", 0, false},
		{"max-age=99999999999999", 0, false}, // over a century
		{"s-maxage=60", 0, false},
		{"", 0, false},
	} {
		d, ok := MaxAge(tt.cc)
		if d != tt.want || ok != tt.ok {
			t.Errorf("MaxAge(%q) = %v, %v; want %v, %v", tt.cc, d, ok, tt.want, tt.ok)
		}
	}
}

func TestNoCache(t *testing.T) {
	for _, tt := range []struct {
		cc   string
		want bool
	}{
		{"no-store", true},
		{"No-Store", true},
		{"public, no-cache", true},
		{"max-age=60, no-cache", true},
		{`no-cache="Set-Cookie"`, false}, // only those fields
		{`private="no-store"`, false},
		{"public, max-age=60", false},
		{"", false},
	} {
		if got := NoCache(tt.cc); got != tt.want {
			t.Errorf("NoCache(%q) = %v, want %v", tt.cc, got, tt.want)
		}
	}
}

func TestDirective(t *testing.T) {
	for _, tt := range []struct {
		cc, name, want string
		present        bool
	}{
		{`public, max-age=60`, "public", "", true},
		{`no-cache="a, b"`, "no-cache", "a, b", true},
		{`x="a \"q\" b"`, "x", `a "q" b`, true},
		{`,, public ,`, "public", "", true},
		{`public`, "private", "", false},
	} {
		v, present := Directive(tt.cc, tt.name)
		if v != tt.want || present != tt.present {
			t.Errorf("Directive(%q, %q) = %q, %v; want %q, %v", tt.cc, tt.name, v, present, tt.want, tt.present)
		}
	}
}
