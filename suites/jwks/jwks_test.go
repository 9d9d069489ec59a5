package jwks

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
)

type judgeTest struct {
	name    string
	id      string
	profile string // "aws" when empty
	body    []byte
	mutate  func(*evidence.Target)
	want    check.Status
	msg     string
}

func (tt judgeTest) run(t *testing.T) {
	c, ok := Checks().Lookup(tt.id)
	if !ok {
		t.Fatalf("no check %s", tt.id)
	}
	profile := tt.profile
	if profile == "" {
		profile = "aws"
	}
	tg := target(profile, tt.body)
	if tt.mutate != nil {
		tt.mutate(tg)
	}
	f := runner.JudgeAll(tg, Checks())[c.ID] // prerequisites first, as a run judges
	if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
		t.Errorf("%s = %s %q, want %s containing %q", tt.id, f.Status, f.Message, tt.want, tt.msg)
	}
}

func final(t *evidence.Target) *evidence.Hop { return t.JWKS.Final() }

func TestJudges(t *testing.T) {
	k := keys(t)
	good := rsaJWK(&k.rsa.PublicKey, "k1")
	next := rsaJWK(&k.rsa2.PublicKey, "k2")
	ec := ecJWK(&k.p256.PublicKey, "e1")
	okp := edJWK(k.ed.Public().(ed25519.PublicKey), "o1")
	goodSet := setBody(good, next, ec)
	// The pod identity webhook's keys.json: each key twice, once with kid "".
	piw := setBody(good, good.with("kid", ""), next, next.with("kid", ""))
	der := selfSigned(t, k.rsa)
	otherDER := selfSigned(t, k.rsa2)
	x5c := func(d []byte) []string { return []string{base64.StdEncoding.EncodeToString(d)} }
	leadingZero := good.with("n", b64(append([]byte{0}, k.rsa.N.Bytes()...)))
	var many, manyEC []jwk
	for i := range 101 {
		many = append(many, good.with("kid", fmt.Sprintf("k%03d", i)))
		manyEC = append(manyEC, ec.with("kid", fmt.Sprintf("e%03d", i)))
	}

	tests := []judgeTest{
		{name: "served", id: "JWKS-001", body: goodSet, want: check.Passed, msg: "answered 200"},
		{name: "not fetched", id: "JWKS-001", mutate: func(t *evidence.Target) {
			t.JWKS, t.JWKSSkipReason = nil, "jwks_uri is not https"
		}, want: check.Skipped, msg: "DISC-007"},
		{name: "refused", id: "JWKS-001", mutate: func(t *evidence.Target) {
			t.JWKS.Hops, t.JWKS.Err = nil, "connection refused"
		}, want: check.Failed, msg: "connection refused"},
		{name: "redirect", id: "JWKS-001", body: goodSet, mutate: func(t *evidence.Target) {
			t.JWKS.Hops = append([]evidence.Hop{{URL: "https://old.test/keys", Status: 301}}, t.JWKS.Hops...)
		}, want: check.Failed, msg: "https://old.test/keys (301)"},
		{name: "403", id: "JWKS-001", body: []byte(`<Error>AccessDenied</Error>`), mutate: func(t *evidence.Target) { final(t).Status = 403 },
			want: check.Failed, msg: "403"},
		{name: "over the cap", id: "JWKS-001", mutate: func(t *evidence.Target) { final(t).Truncated = true; t.JWKS.Err = "larger than the cap" },
			want: check.Failed, msg: "cap"},
		{name: "jwk-set+json", id: "JWKS-013", body: goodSet, want: check.Passed, msg: "application/jwk-set+json"},
		{name: "content type is JWKS-013's", id: "JWKS-001", body: goodSet, mutate: func(t *evidence.Target) {
			final(t).Header["Content-Type"] = []string{"binary/octet-stream"}
		}, want: check.Passed},
		{name: "octet-stream", id: "JWKS-013", body: goodSet, mutate: func(t *evidence.Target) {
			final(t).Header["Content-Type"] = []string{"binary/octet-stream"}
		}, want: check.Warning, msg: "binary/octet-stream"},
		{name: "json charset", id: "JWKS-001", body: goodSet, mutate: func(t *evidence.Target) {
			final(t).Header["Content-Type"] = []string{"application/json; charset=utf-8"}
		}, want: check.Passed},

		{name: "a set", id: "JWKS-002", body: goodSet, want: check.Passed, msg: "3 keys"},
		{name: "empty", id: "JWKS-002", body: []byte(`{"keys":[]}`), want: check.Failed, msg: "keys is empty"},
		{name: "bare key", id: "JWKS-002", body: []byte(`{"kty":"RSA","n":"AQAB","e":"AQAB"}`), want: check.Failed, msg: "bare JWK"},
		{name: "keys not array", id: "JWKS-002", body: []byte(`{"keys":{}}`), want: check.Failed, msg: "not an array"},
		{name: "trailing data", id: "JWKS-002", body: append(goodSet, []byte(" {}")...), want: check.Failed, msg: "after the object"},
		{name: "html", id: "JWKS-002", body: []byte(`<html>`), want: check.Failed, msg: `body starts "<html>"`},
		{name: "no answer skips", id: "JWKS-002", mutate: func(t *evidence.Target) { final(t).Status = 500 }, want: check.Skipped, msg: "JWKS-001"},

		{name: "parses", id: "JWKS-003", body: setBody(good, ec, okp), want: check.Passed, msg: "all 3 keys parse"},
		{name: "padded", id: "JWKS-003", body: setBody(good.with("e", "AQAB"), good.with("kid", "k9", "e", "AQAB=")), want: check.Failed,
			msg: `kid "k9": e is padded base64url`},
		{name: "base64 alphabet", id: "JWKS-003", body: setBody(good.with("n", strings.Repeat("+/", 128))), want: check.Failed, msg: "is standard base64"},
		{name: "line break", id: "JWKS-003", body: setBody(good.with("n", "AQAB\nAQAB")), want: check.Failed, msg: "outside base64url"},
		{name: "leading zero", id: "JWKS-003", body: setBody(leadingZero), want: check.Failed, msg: `kid "k1": n has a leading zero byte`},
		{name: "missing n", id: "JWKS-003", body: setBody(good.with("n", nil)), want: check.Failed, msg: "n is missing"},
		{name: "missing kty no kid", id: "JWKS-003", body: setBody(good.with("kty", nil, "kid", nil)), want: check.Failed, msg: "keys[0]: kty is missing"},
		{name: "kid a number", id: "JWKS-003", body: setBody(good.with("kid", 7)), want: check.Failed, msg: "kid is not a string"},
		{name: "not an object", id: "JWKS-003", body: []byte(`{"keys":[1]}`), want: check.Failed, msg: "keys[0]: not a JSON object"},
		{name: "ec short x", id: "JWKS-003", body: setBody(ec.with("x", b64(make([]byte, 31)))), want: check.Failed, msg: "x is 31 bytes"},
		{name: "ec off curve", id: "JWKS-003", body: setBody(ec.with("x", b64(make([]byte, 32)))), want: check.Failed, msg: "not on P-256"},
		{name: "unknown kty ignored", id: "JWKS-003", body: setBody(good, jwk{"kty": "XYZ", "kid": "z"}), want: check.Passed},
		{name: "x5c not strings", id: "JWKS-003", body: setBody(good.with("x5c", []int{1})), want: check.Failed, msg: "x5c is not an array of strings"},

		{name: "kids", id: "JWKS-004", body: goodSet, want: check.Passed, msg: "all 3 keys have a kid"},
		{name: "piw copies", id: "JWKS-004", body: piw, want: check.Passed, msg: "2 keys with kid \"\" are copies"},
		{name: "no kid", id: "JWKS-004", body: setBody(good, next.with("kid", nil)), want: check.Failed, msg: "keys[1] has no kid"},
		{name: "empty kid alone", id: "JWKS-004", body: setBody(good, next.with("kid", "")), want: check.Failed,
			msg: "keys[1] (kid \"\") has an empty kid and is not a copy"},

		{name: "unique", id: "JWKS-005", body: goodSet, want: check.Passed, msg: "3 kids"},
		{name: "piw not duplicate", id: "JWKS-005", body: piw, want: check.Passed, msg: "2 kids"},
		{name: "duplicate kid", id: "JWKS-005", body: setBody(good, next.with("kid", "k1")), want: check.Failed, msg: `kid "k1" names 2 different keys`},
		{name: "same key twice", id: "JWKS-005", body: setBody(good, good), want: check.Passed, msg: "published 2 times with the same key"},

		{name: "public", id: "JWKS-006", body: goodSet, want: check.Passed},
		{name: "private d", id: "JWKS-006", body: setBody(good.with("d", b64(k.rsa.D.Bytes()), "p", b64(k.rsa.Primes[0].Bytes()))),
			want: check.Failed, msg: `kid "k1" carries private members d, p`},
		{name: "oct", id: "JWKS-006", body: setBody(good, jwk{"kty": "oct", "kid": "h", "k": b64([]byte("secret"))}), want: check.Failed,
			msg: `kid "h" is a symmetric (oct) key`},

		{name: "2048", id: "JWKS-007", body: goodSet, want: check.Passed, msg: "2 RSA keys"},
		{name: "1024", id: "JWKS-007", body: setBody(good, rsaJWK(&k.rsa1024.PublicKey, "weak")), want: check.Failed, msg: `kid "weak" has a 1024-bit modulus`},
		{name: "1024 without kid", id: "JWKS-007", body: setBody(rsaJWK(&k.rsa1024.PublicKey, "").with("kid", nil, "use", 1)), want: check.Failed,
			msg: "keys[0] has a 1024-bit modulus"},
		{name: "e=3 is JWKS-014's", id: "JWKS-007", body: setBody(good.with("e", b64([]byte{3}))), want: check.Passed},
		{name: "e=3", id: "JWKS-014", body: setBody(good.with("e", b64([]byte{3}))), want: check.Warning, msg: "exponent 3"},
		{name: "e=65537", id: "JWKS-014", body: goodSet, want: check.Passed, msg: "exponent 65537"},
		{name: "no rsa", id: "JWKS-007", body: setBody(ec), want: check.Passed, msg: "no RSA key"},
		{name: "6-Mbit modulus", id: "JWKS-007", body: setBody(good, good.with("kid", "huge", "n", strings.Repeat("q", 1_000_000))), want: check.Failed,
			msg: `kid "huge": RSA modulus of about 6000000 bits, over the 16384-bit cap`},
		{name: "6-Mbit modulus is no JWKS-003 problem", id: "JWKS-003", body: setBody(good, good.with("kid", "huge", "n", strings.Repeat("q", 1_000_000))), want: check.Passed},
		{name: "unparsed skipped", id: "JWKS-007", body: setBody(leadingZero), want: check.Passed, msg: "no RSA key"},

		{name: "rs256 es256 aws", id: "JWKS-008", body: goodSet, want: check.Passed, msg: "ES256 (1), RS256 (2)"},
		{name: "no alg", id: "JWKS-008", body: setBody(good.with("alg", nil)), want: check.Passed, msg: "RSA without alg (1)"},
		{name: "es256 on p-384", id: "JWKS-008", body: setBody(ecJWK(&k.p384.PublicKey, "e3").with("alg", "ES256")), want: check.Failed,
			msg: "alg ES256, which does not fit its key type (EC P-384)"},
		{name: "rs256 on ec", id: "JWKS-008", body: setBody(ec.with("alg", "RS256")), want: check.Failed, msg: "does not fit its key type (EC P-256)"},
		{name: "ps256 aws", id: "JWKS-008", body: setBody(good.with("alg", "PS256")), want: check.Failed, msg: "alg PS256: STS accepts"},
		{name: "ps256 oidc", id: "JWKS-008", profile: "oidc", body: setBody(good.with("alg", "PS256")), want: check.Passed, msg: "PS256 (1)"},
		{name: "es256k aws", id: "JWKS-008", body: setBody(jwk{"kty": "EC", "kid": "s", "crv": "secp256k1", "alg": "ES256K",
			"x": b64(make([]byte, 32)), "y": b64(make([]byte, 32))}), want: check.Failed, msg: "STS accepts RSA keys and EC keys"},
		{name: "es256k oidc", id: "JWKS-008", profile: "oidc", body: setBody(jwk{"kty": "EC", "kid": "s", "crv": "secp256k1", "alg": "ES256K",
			"x": b64(make([]byte, 32)), "y": b64(make([]byte, 32))}), want: check.Passed, msg: "ES256K (1)"},
		{name: "eddsa aws", id: "JWKS-008", body: setBody(okp), want: check.Failed, msg: "OKP Ed25519"},
		{name: "eddsa oidc", id: "JWKS-008", profile: "oidc", body: setBody(okp), want: check.Passed, msg: "EdDSA (1)"},
		{name: "rs384 kubernetes", id: "JWKS-008", profile: "kubernetes", body: setBody(good.with("alg", "RS384")), want: check.Failed,
			msg: "kube-apiserver serves RSA keys as RS256"},
		{name: "es384 kubernetes", id: "JWKS-008", profile: "kubernetes", body: setBody(good, ecJWK(&k.p384.PublicKey, "e3")), want: check.Passed},
		{name: "alg none", id: "JWKS-008", profile: "oidc", body: setBody(good.with("alg", "none")), want: check.Failed, msg: "unsigned"},
		{name: "unknown alg", id: "JWKS-008", body: setBody(good.with("alg", "RS1")), want: check.Failed, msg: "not a registered algorithm"},
		{name: "enc key oidc", id: "JWKS-008", profile: "oidc", body: setBody(good, next.with("use", "enc", "alg", "RSA-OAEP")), want: check.Passed},
		{name: "enc key aws left to 009", id: "JWKS-008", body: setBody(good, next.with("use", "enc", "alg", "RSA-OAEP")), want: check.Passed},
		{name: "oct is JWKS-006's", id: "JWKS-008", body: setBody(good, jwk{"kty": "oct", "kid": "h", "k": b64([]byte("secret")), "alg": "HS256"}), want: check.Passed},
		{name: "unknown kty oidc", id: "JWKS-008", profile: "oidc", body: setBody(jwk{"kty": "XYZ", "kid": "z"}), want: check.Failed, msg: "not a registered key type"},

		{name: "sig", id: "JWKS-009", body: goodSet, want: check.Passed, msg: "use sig"},
		{name: "absent", id: "JWKS-009", body: setBody(good, next.with("use", nil)), want: check.Warning, msg: `no use on kid "k2"`},
		{name: "enc aws is JWKS-015's", id: "JWKS-009", body: setBody(good, next.with("use", "enc")), want: check.Skipped, msg: "not judged: JWKS-015 failed"},
		{name: "enc aws", id: "JWKS-015", body: setBody(good, next.with("use", "enc")), want: check.Failed, msg: `kid "k2": use enc`},
		{name: "no enc", id: "JWKS-015", body: goodSet, want: check.Passed, msg: "no encryption key"},
		{name: "enc oidc with use", id: "JWKS-015", profile: "oidc", body: setBody(good, next.with("use", "enc")), want: check.Passed, msg: "1 key for encryption"},
		{name: "enc oidc with use, 009", id: "JWKS-009", profile: "oidc", body: setBody(good, next.with("use", "enc")), want: check.Passed, msg: "1 key for encryption"},
		{name: "enc oidc without use", id: "JWKS-015", profile: "oidc", body: setBody(good.with("use", nil), next.with("use", "enc")),
			want: check.Failed, msg: "every key needs use"},
		{name: "use not a string is JWKS-003's", id: "JWKS-009", body: setBody(good.with("use", 1)), want: check.Passed},
		{name: "other use", id: "JWKS-009", body: setBody(good.with("use", "verify")), want: check.Warning, msg: `use "verify"`},

		{name: "100 keys", id: "JWKS-010", body: setBody(many[:100]...), want: check.Passed, msg: "100 RSA and 0 EC keys"},
		{name: "101 RSA keys", id: "JWKS-010", body: setBody(many...), want: check.Warning, msg: "101 RSA keys, over"},
		{name: "101 RSA keys: unconfirmed", id: "JWKS-010", body: setBody(many...), want: check.Warning, msg: "observed, unconfirmed"},
		{name: "101 EC keys", id: "JWKS-010", body: setBody(manyEC...), want: check.Warning, msg: "101 EC keys, over"},
		{name: "60 RSA and 60 EC keys", id: "JWKS-010", body: setBody(append(append([]jwk(nil), many[:60]...), manyEC[:60]...)...),
			want: check.Passed, msg: "60 RSA and 60 EC keys"},

		{name: "no x5c", id: "JWKS-011", body: goodSet, want: check.Passed, msg: "no key carries"},
		{name: "x5c matches", id: "JWKS-011", body: setBody(good.with("x5c", x5c(der), "x5t", x5t(der))), want: check.Passed, msg: "same public key"},
		{name: "x5c of another key", id: "JWKS-011", body: setBody(good.with("x5c", x5c(otherDER))), want: check.Failed, msg: `kid "k1": x5c[0]`},
		{name: "x5t wrong", id: "JWKS-011", body: setBody(good.with("x5c", x5c(der), "x5t", x5t(otherDER))), want: check.Failed, msg: "x5t does not match"},
		{name: "x5t#S256 wrong", id: "JWKS-011", body: setBody(good.with("x5c", x5c(der), "x5t#S256", x5t(der))), want: check.Failed, msg: "x5t#S256 does not match"},
		{name: "x5c base64url", id: "JWKS-011", body: setBody(good.with("x5c", []string{b64(der)})), want: check.Failed, msg: "not base64"},
		{name: "x5c garbage", id: "JWKS-011", body: setBody(good.with("x5c", []string{"AAAA"})), want: check.Failed, msg: "not a certificate"},
		{name: "x5t alone", id: "JWKS-011", body: setBody(good.with("x5t", x5t(der))), want: check.Passed, msg: "not verifiable"},

		{name: "max-age", id: "JWKS-012", body: goodSet, want: check.Passed, msg: "1h0m0s"},
		{name: "no cache-control", id: "JWKS-012", body: goodSet, mutate: func(t *evidence.Target) { delete(final(t).Header, "Cache-Control") },
			want: check.Warning, msg: "no Cache-Control"},
		{name: "no-cache", id: "JWKS-012", body: goodSet, mutate: func(t *evidence.Target) { final(t).Header["Cache-Control"] = []string{"no-cache"} },
			want: check.Warning, msg: "no usable max-age"},
		{name: "lower-case header", id: "JWKS-012", body: goodSet, mutate: func(t *evidence.Target) {
			delete(final(t).Header, "Cache-Control")
			final(t).Header["cache-control"] = []string{"Max-Age=604800"}
		}, want: check.Passed, msg: "168h"},
		{name: "not fetched", id: "JWKS-012", mutate: func(t *evidence.Target) { t.JWKS = nil }, want: check.Skipped},
	}
	// Every keys check skips when there is no set to judge.
	for _, id := range []string{"JWKS-003", "JWKS-004", "JWKS-005", "JWKS-006", "JWKS-007", "JWKS-008", "JWKS-009", "JWKS-010", "JWKS-011"} {
		tests = append(tests,
			judgeTest{name: "not fetched", id: id, mutate: func(t *evidence.Target) { t.JWKS = nil }, want: check.Skipped, msg: "DISC-007"},
			judgeTest{name: "404", id: id, body: goodSet, mutate: func(t *evidence.Target) { final(t).Status = 404 }, want: check.Skipped, msg: "JWKS-001"},
			judgeTest{name: "empty set", id: id, body: setBody(), want: check.Skipped, msg: "JWKS-002"})
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, tt.run)
		// The probe records key sets redacted (probe.RedactJWKS): the
		// judges must find the same in the record as in what was served.
		if tt.body != nil {
			tt.body = probe.RedactJWKS(tt.body)
			t.Run(tt.id+" "+tt.name+" redacted", tt.run)
		}
	}
}

// TestNoKeyMaterialInMessages: private members must never reach a report.
func TestNoKeyMaterialInMessages(t *testing.T) {
	const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQ"
	k := keys(t)
	leaked := rsaJWK(&k.rsa.PublicKey, "k1").with("d", secret, "p", secret+"=", "k", secret)
	for _, body := range [][]byte{
		setBody(leaked),
		[]byte(`{"kty":"RSA","d":"` + secret + `"}`),
		[]byte(`{"keys":{"kty":"RSA","d":"` + secret + `"}}`),
		[]byte(`[{"kty":"RSA","d":"` + secret + `"}]`),
	} {
		for _, c := range Checks() {
			if f := c.Judge(target("aws", body)); strings.Contains(f.Message, secret[:8]) {
				t.Errorf("%s shows private material: %q", c.ID, f.Message)
			}
		}
	}
}

func TestThumbprint(t *testing.T) {
	// RFC 7638 §3.1's example key and thumbprint.
	const n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
	s, err := Parse([]byte(`{"keys":[{"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29","n":"` + n + `"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Keys[0].Thumbprint()
	if want := "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"; err != nil || got != want {
		t.Errorf("Thumbprint = %q, %v; want %q", got, err, want)
	}
	// Padding and a leading zero do not change the material.
	k := keys(t)
	a := rsaJWK(&k.rsa.PublicKey, "a")
	b := a.with("n", base64.URLEncoding.EncodeToString(append([]byte{0}, k.rsa.N.Bytes()...)))
	sa, _ := Parse(setBody(a, b))
	if sa.Keys[0].Material() != sa.Keys[1].Material() {
		t.Error("padded n with a leading zero has another material")
	}
	broken, _ := Parse([]byte(`{"keys":[{"kty":"RSA"}]}`))
	if m := broken.Keys[0].Material(); !strings.HasPrefix(m, "unparsed:") {
		t.Errorf("Material of a broken key = %q", m)
	}
}

func TestMaxAge(t *testing.T) {
	for _, tt := range []struct {
		cc   []string
		want string
		ok   bool
	}{
		{[]string{"public, max-age=3600"}, "1h0m0s", true},
		{[]string{"no-cache", `max-age="60"`}, "1m0s", true},
		{[]string{"max-age=-1"}, "0s", false},
		{[]string{"max-age=abc"}, "0s", false},
		{[]string{"s-maxage=60"}, "0s", false},
		{nil, "0s", false},
	} {
		d, ok := MaxAge(&evidence.Hop{Header: map[string][]string{"Cache-Control": tt.cc}})
		if d.String() != tt.want || ok != tt.ok {
			t.Errorf("MaxAge(%q) = %s, %v; want %s, %v", tt.cc, d, ok, tt.want, tt.ok)
		}
	}
}

func TestCatalogValid(t *testing.T) {
	c := Checks()
	if err := c.ValidatePart(); err != nil {
		t.Fatal(err)
	}
	if len(c) != 15 {
		t.Errorf("%d checks, want JWKS-001..015", len(c))
	}
	if j, _ := c.Lookup("JWKS-010"); j.AppliesTo(check.Kubernetes) {
		t.Error("JWKS-010 applies only to the aws profile")
	}
}
