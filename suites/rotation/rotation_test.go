package rotation

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

type jwk map[string]any

// ecKey returns a fresh P-256 public JWK with the given kid (EC keys are
// cheap to generate, even under -race).
func ecKey(t testing.TB, kid string) jwk {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	enc := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	return jwk{"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256",
		"x": enc(k.X.FillBytes(make([]byte, 32))), "y": enc(k.Y.FillBytes(make([]byte, 32)))}
}

func (k jwk) kid(kid string) jwk {
	out := jwk{}
	for n, v := range k {
		out[n] = v
	}
	out["kid"] = kid
	return out
}

func set(ks ...jwk) []byte {
	b, err := json.Marshal(map[string]any{"keys": ks})
	if err != nil {
		panic(err)
	}
	return b
}

const jwksURL = "https://issuer.test/keys"

func served(body []byte) *evidence.Exchange {
	return &evidence.Exchange{URL: jwksURL, Hops: []evidence.Hop{{URL: jwksURL, Status: 200,
		Header: map[string][]string{"Cache-Control": {"max-age=3600"}}, Body: body}}}
}

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

func poll(sec int, body []byte) evidence.Poll { return evidence.Poll{At: at(sec), JWKS: served(body)} }

func target(body []byte, mutate func(*evidence.Target)) *evidence.Target {
	t := &evidence.Target{
		Input:    evidence.Input{Issuer: "https://issuer.test", Profile: "aws"},
		ProbedAt: t0,
		JWKS:     served(body),
	}
	if mutate != nil {
		mutate(t)
	}
	return t
}

func token(header string, iat, exp int) *evidence.Token {
	claims, _ := json.Marshal(map[string]any{"iat": at(iat).Unix(), "exp": at(exp).Unix()})
	return &evidence.Token{Source: "test", Header: json.RawMessage(header), Claims: claims}
}

type judgeTest struct {
	name   string
	id     string
	target *evidence.Target
	want   check.Status
	msg    string
}

func (tt judgeTest) run(t *testing.T) {
	c, ok := Checks().Lookup(tt.id)
	if !ok {
		t.Fatalf("no check %s", tt.id)
	}
	f := c.Judge(tt.target)
	if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
		t.Errorf("%s = %s %q, want %s containing %q", tt.id, f.Status, f.Message, tt.want, tt.msg)
	}
}

func TestJudges(t *testing.T) {
	a, b, c := ecKey(t, "A"), ecKey(t, "B"), ecKey(t, "C")
	ab, abc := set(a, b), set(a, b, c)
	piw := set(a, a.kid(""), b, b.kid(""))
	failed := evidence.Poll{At: at(4), JWKS: &evidence.Exchange{URL: jwksURL, Err: "timeout"}}
	// A rotation from A to B: B appears in (0, 3], A goes in (5, 7].
	rotating := []evidence.Poll{poll(0, set(a)), poll(3, ab), poll(5, ab), poll(7, set(b))}
	// B appears in (0, 3] and A is still published at the end.
	open := []evidence.Poll{poll(0, set(a)), poll(3, ab), poll(10, ab)}
	withToken := func(tok *evidence.Token) func(*evidence.Target) { return func(t *evidence.Target) { t.Token = tok } }

	tests := []judgeTest{
		{"repeats agree", "ROT-001", target(ab, func(t *evidence.Target) { t.Repeats = []*evidence.Exchange{served(ab)} }), check.Passed, "2 kids"},
		{"one observation", "ROT-001", target(ab, nil), check.Skipped, "--watch"},
		{"no set", "ROT-001", target([]byte(`{}`), nil), check.Skipped, "not judged: JWKS-002 failed"},
		{"kid reused against baseline", "ROT-001", target(ab, func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-time.Hour), JWKS: set(c.kid("A"))}
		}), check.Failed, `kid "A" names one key in baseline old.json`},
		{"kid reused in a poll", "ROT-001", target(ab, func(t *evidence.Target) {
			t.Polls = []evidence.Poll{poll(0, ab), poll(5, set(a, c.kid("B")))}
		}), check.Failed, "another in the poll at 12:00:05"},
		{"piw copies", "ROT-001", target(piw, func(t *evidence.Target) { t.Polls = []evidence.Poll{poll(0, piw), poll(5, ab)} }), check.Passed, ""},

		{"no watch", "ROT-002", target(ab, nil), check.Skipped, "no --watch"},
		{"polls failed", "ROT-002", target(ab, func(t *evidence.Target) { t.Polls = []evidence.Poll{poll(0, ab), failed} }), check.Skipped, "1 of 2 polls"},
		{"a watch that got no key set says what it saw", "ROT-002", target(ab, func(t *evidence.Target) {
			t.Input.Watch = evidence.Duration(time.Minute)
			t.Polls = []evidence.Poll{failed}
		}), check.Skipped, "the --watch of 1m: 0 of 1 poll answered with a key set: nothing to compare (the poll at"},
		{"a watch that never started says why", "ROT-002", target(ab, func(t *evidence.Target) {
			t.Input.Watch = evidence.Duration(time.Minute)
			t.JWKSSkipReason = "no discovery document"
		}), check.Skipped, "the watch did not start: no discovery document"},
		{"no rotation", "ROT-002", target(ab, func(t *evidence.Target) { t.Polls = []evidence.Poll{poll(0, ab), poll(5, ab)} }), check.Passed, "no new key"},
		{"withdrawn too soon", "ROT-002", target(ab, func(t *evidence.Target) { t.Polls = rotating }), check.Failed,
			`kid "A" withdrawn between 12:00:05 and 12:00:07, 2s-7s after kid "B" appeared; tokens live 24h`},
		{"swapped at once", "ROT-002", target(ab, func(t *evidence.Target) { t.Polls = []evidence.Poll{poll(0, set(a)), poll(2, set(b))} }), check.Failed,
			`kid "A" withdrawn between 12:00:00 and 12:00:02, 0s-2s after kid "B" appeared`},
		{"a failed poll widens the bound", "ROT-002", target(ab, func(t *evidence.Target) {
			t.Polls = []evidence.Poll{poll(0, set(a)), poll(3, ab), failed, poll(7, set(b))}
		}), check.Failed, "between 12:00:03 and 12:00:07, 0s-7s"},
		{"overlap longer than tokens live", "ROT-002", target(ab, func(t *evidence.Target) {
			t.Input.MaxTokenLifetime = evidence.Duration(5 * time.Second)
			t.Polls = rotating
		}), check.Passed, "tokens live 5s"},
		{"a later key does not restart the overlap", "ROT-002", target(ab, func(t *evidence.Target) {
			// B appears in (0, 3] and C in (3, 6]; A goes in (6, 9]: 6-9 s after
			// B, its successor, though only 0-6 s after C.
			t.Input.MaxTokenLifetime = evidence.Duration(7 * time.Second)
			t.Polls = []evidence.Poll{poll(0, set(a)), poll(3, ab), poll(6, abc), poll(9, set(b, c))}
		}), check.Passed, `kid "A" withdrawn between 12:00:06 and 12:00:09, 3s-9s after kid "B" appeared; kid "C" appeared`},
		{"a kid reused for new material is ROT-001's", "ROT-002", target(ab, func(t *evidence.Target) {
			t.Polls = []evidence.Poll{poll(0, set(a)), poll(3, set(c.kid("A")))}
		}), check.Passed, `not counted: kid "A" took new key material (ROT-001's)`},
		{"the token's own lifetime", "ROT-002", target(ab, func(t *evidence.Target) {
			t.Token = token(`{"alg":"ES256","kid":"A"}`, 0, 3600)
			t.Polls = rotating
		}), check.Failed, "tokens live 1h (the given token's lifetime)"},
		{"old key still published", "ROT-002", target(ab, func(t *evidence.Target) { t.Polls = open }), check.Passed,
			`kid "A" was still published at 12:00:10 (overlap at least 7s)`},
		{"piw copies are one key", "ROT-002", target(ab, func(t *evidence.Target) {
			t.Polls = []evidence.Poll{poll(0, set(a, a.kid(""))), poll(3, set(a, a.kid(""), b)), poll(9, set(a, b, b.kid("")))}
		}), check.Passed, ""},
		{"flapping key is not new", "ROT-002", target(ab, func(t *evidence.Target) {
			t.Polls = []evidence.Poll{poll(0, ab), poll(3, set(a)), poll(5, ab), poll(7, set(b))}
		}), check.Passed, "no new key"},
		{"old key removed with no new key", "ROT-002", target(ab, func(t *evidence.Target) { t.Polls = []evidence.Poll{poll(0, ab), poll(3, set(b))} }),
			check.Passed, "no new key"},

		{"no baseline", "ROT-003", target(ab, nil), check.Skipped, "no --jwks-baseline"},
		{"unreadable baseline", "ROT-003", target(ab, func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", JWKS: json.RawMessage(`{"kty":"RSA"}`)}
		}), check.Skipped, "bare JWK"},
		{"diff", "ROT-003", target(set(b, c), func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", JWKS: ab}
		}), check.Passed, `added kid "C"; removed kid "A"; 1 unchanged`},
		{"changed", "ROT-003", target(set(a, c.kid("B")), func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", JWKS: ab}
		}), check.Passed, `changed key material: kid "B"`},
		{"removed within the token lifetime", "ROT-003", target(set(b, c), func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-time.Hour), JWKS: ab}
		}), check.Warning, `removed kid "A"; 1 unchanged; removed 1h after the baseline was saved, but tokens live 24h (EKS's default): ` +
			`a token signed then by kid "A" may be valid 23h more`},
		{"the token's own lifetime", "ROT-003", target(set(b, c), func(t *evidence.Target) {
			t.Input.MaxTokenLifetime = evidence.Duration(24 * time.Hour)
			t.Token = token(`{"alg":"ES256","kid":"B"}`, -600, 3000)
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-30 * time.Minute), JWKS: ab}
		}), check.Warning, `tokens live 1h (the given token's lifetime): a token signed then by kid "A" may be valid 30m more`},
		{"the token's own lifetime has passed", "ROT-003", target(set(b, c), func(t *evidence.Target) {
			t.Token = token(`{"alg":"ES256","kid":"B"}`, -600, 3000)
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-2 * time.Hour), JWKS: ab}
		}), check.Passed, `removed kid "A"`},
		{"removed after the token lifetime", "ROT-003", target(set(b, c), func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-25 * time.Hour), JWKS: ab}
		}), check.Passed, `added kid "C"; removed kid "A"; 1 unchanged`},
		{"removed after a shorter lifetime", "ROT-003", target(set(b), func(t *evidence.Target) {
			t.Input.MaxTokenLifetime = evidence.Duration(30 * time.Minute)
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-time.Hour), JWKS: ab}
		}), check.Passed, `removed kid "A"; 1 unchanged`},
		{"removed, saving time unknown", "ROT-003", target(set(b), func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", JWKS: ab}
		}), check.Passed, `removed kid "A"`},
		{"only added since a recent baseline", "ROT-003", target(ab, func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-time.Minute), JWKS: set(a)}
		}), check.Passed, `added kid "B"; 1 unchanged`},
		{"changed material is not a removal", "ROT-003", target(set(a, c.kid("B")), func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-time.Minute), JWKS: ab}
		}), check.Passed, `changed key material: kid "B" (see ROT-001); 1 unchanged`},
		{"baseline without current set", "ROT-003", target([]byte(`[]`), func(t *evidence.Target) {
			t.Baseline = &evidence.Baseline{Source: "old.json", JWKS: ab}
		}), check.Skipped, "not judged: JWKS-002 failed"},

		{"nothing to compare", "ROT-004", target(ab, nil), check.Skipped, "no repeated fetch"},
		{"replicas agree", "ROT-004", target(piw, func(t *evidence.Target) {
			t.Replicas = []evidence.Replica{{Addr: "192.0.2.1:443", JWKS: served(piw)}, {Addr: "192.0.2.2:443", JWKS: served(piw)}}
			t.Repeats = []*evidence.Exchange{served(piw)}
		}), check.Passed, "2 addresses and 1 repeated fetch serve the same 4 keys"},
		{"split replica", "ROT-004", target(ab, func(t *evidence.Target) {
			t.Replicas = []evidence.Replica{{Addr: "192.0.2.1:443", JWKS: served(ab)}, {Addr: "192.0.2.2:443", JWKS: served(set(a, c))}}
		}), check.Failed, `address 192.0.2.2:443 lacks kid "B" and adds kid "C"`},
		{"repeat 404", "ROT-004", target(ab, func(t *evidence.Target) {
			ex := served(nil)
			ex.Hops[0].Status = 404
			t.Repeats = []*evidence.Exchange{served(ab), ex}
		}), check.Failed, "repeated fetch 2: GET https://issuer.test/keys answered 404"},
		{"unreachable address", "ROT-004", target(ab, func(t *evidence.Target) {
			t.Replicas = []evidence.Replica{{Addr: "192.0.2.1:443", JWKS: served(ab)},
				{Addr: "[2001:db8::1]:443", JWKS: &evidence.Exchange{URL: jwksURL, Err: "network is unreachable"}}}
		}), check.Warning, "[2001:db8::1]:443: network is unreachable"},
		{"no main set", "ROT-004", target([]byte(`{}`), func(t *evidence.Target) { t.Repeats = []*evidence.Exchange{served(ab)} }),
			check.Skipped, "not judged: JWKS-002 failed"},

		{"no token", "ROT-005", target(ab, nil), check.Skipped, "no token"},
		{"no kid is TOK-003's", "ROT-005", target(ab, withToken(token(`{"alg":"RS256"}`, 0, 60))), check.Skipped, "TOK-003"},
		{"no baseline", "ROT-005", target(ab, withToken(token(`{"alg":"ES256","kid":"A"}`, 0, 60))), check.Skipped, "--jwks-baseline"},
		{"a later withdrawal is ROT-002's", "ROT-005", target(ab, func(t *evidence.Target) {
			t.Token = token(`{"alg":"ES256","kid":"A"}`, 0, 60)
			t.Polls = []evidence.Poll{poll(1, ab), poll(5, set(b))}
		}), check.Skipped, "--jwks-baseline"},
		{"published before it signed", "ROT-005", target(ab, func(t *evidence.Target) {
			t.Token = token(`{"alg":"ES256","kid":"B"}`, -3600, 3600)
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-30 * time.Minute), JWKS: ab}
		}), check.Passed, `kid "B" was published in baseline old.json`},
		{"signed before it was published", "ROT-005", target(ab, func(t *evidence.Target) {
			t.Token = token(`{"alg":"ES256","kid":"B"}`, -3600, 3600)
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-30 * time.Minute), JWKS: set(a)}
		}), check.Failed, `did not publish kid "B": the key signed before it was published`},
		{"baseline older than the token", "ROT-005", target(ab, func(t *evidence.Target) {
			t.Token = token(`{"alg":"ES256","kid":"B"}`, -60, 3600)
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-30 * time.Minute), JWKS: set(a)}
		}), check.Skipped, "not saved between"},
		{"empty kid with piw copy", "ROT-005", target(piw, func(t *evidence.Target) {
			t.Token = token(`{"alg":"ES256","kid":""}`, -3600, 3600)
			t.Baseline = &evidence.Baseline{Source: "old.json", SavedAt: t0.Add(-30 * time.Minute), JWKS: piw}
		}), check.Passed, ""},
		{"no watch", "ROT-006", target(ab, nil), check.Skipped, "no --watch"},
		{"no rotation", "ROT-006", target(ab, func(t *evidence.Target) { t.Polls = []evidence.Poll{poll(0, ab), poll(5, ab)} }), check.Skipped, "no rotation"},
		{"max-age longer than overlap", "ROT-006", target(ab, func(t *evidence.Target) { t.Polls = rotating }), check.Warning,
			`max-age is 1h, but kid "A" and kid "B" were both published for at most 7s`},
		{"max-age within overlap", "ROT-006", target(ab, func(t *evidence.Target) {
			t.JWKS.Hops[0].Header["Cache-Control"] = []string{"max-age=1"}
			t.Polls = rotating
		}), check.Passed, "within every observed overlap"},
		{"overlap still open", "ROT-006", target(ab, func(t *evidence.Target) { t.Polls = open }), check.Passed, "do not prove"},
		{"only a key's first successor counts", "ROT-006", target(ab, func(t *evidence.Target) {
			// A is published with B for at least 1h (longer than max-age),
			// then C appears and A goes soon after: A and C's short overlap
			// does not matter, A's tokens were signed before B took over.
			t.Polls = []evidence.Poll{poll(0, set(a)), poll(10, ab), poll(3700, ab), poll(3710, set(a, b, c)), poll(3720, set(b, c)), poll(7400, set(b, c))}
		}), check.Passed, ""},
		{"no max-age", "ROT-006", target(abc, func(t *evidence.Target) {
			t.JWKS.Hops[0].Header = nil
			t.Polls = []evidence.Poll{poll(0, set(a)), {At: at(3), JWKS: &evidence.Exchange{Hops: []evidence.Hop{{Status: 200, Body: ab}}}}}
		}), check.Skipped, "JWKS-012"},
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, tt.run)
	}
}

func TestCatalogValid(t *testing.T) {
	c := Checks()
	if err := c.ValidatePart(); err != nil {
		t.Fatal(err)
	}
	if len(c) != 6 {
		t.Errorf("%d checks, want ROT-001..006", len(c))
	}
}
