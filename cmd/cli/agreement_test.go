package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/oidc-conformance/oidc-conformance/fixtures/pki"
	"github.com/oidc-conformance/oidc-conformance/fixtures/sts"
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/fetch"
	"github.com/oidc-conformance/oidc-conformance/harness/probe"
	"github.com/oidc-conformance/oidc-conformance/harness/runner"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// The agreement test's keys, made once per binary (RSA is slow under -race).
var agreeKeys = sync.OnceValue(func() map[string]any {
	gen := func(bits int) *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			panic(err)
		}
		return k
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return map[string]any{"k1": gen(2048), "k2": gen(2048), "weak": gen(1024), "ec": ec}
})

// agreeCase is one token and the key set its issuer publishes.
type agreeCase struct {
	name string
	// header and claims are the token's; signer is the key that signs
	// ("" for an unsigned token); alg the algorithm it signs with.
	header map[string]any
	claims map[string]any
	signer string
	alg    string
	// keys are the published JWKs; finish edits the compact token.
	keys   []map[string]any
	finish func(string) string
}

// jwkOf is the public JWK of agreement key name under kid (nil: no kid member).
func jwkOf(t *testing.T, name string, kid any) map[string]any {
	t.Helper()
	var m map[string]any
	switch k := agreeKeys()[name].(type) {
	case *rsa.PrivateKey:
		// By hand: jwx refuses to export an RSA key under 2048 bits.
		enc := base64.RawURLEncoding.EncodeToString
		m = map[string]any{"kty": "RSA", "n": enc(k.N.Bytes()), "e": enc(big.NewInt(int64(k.E)).Bytes())}
	case *ecdsa.PrivateKey:
		j, err := jwk.PublicKeyOf(&k.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(j)
		_ = json.Unmarshal(b, &m)
	}
	if kid != nil {
		m["kid"] = kid
	}
	m["use"] = "sig"
	return m
}

// sign returns the case's compact token.
func (c agreeCase) sign(t *testing.T) string {
	t.Helper()
	payload, _ := json.Marshal(c.claims)
	enc := base64.RawURLEncoding.EncodeToString
	var raw string
	switch {
	case c.signer == "":
		h, _ := json.Marshal(c.header)
		raw = enc(h) + "." + enc(payload) + "."
	default:
		hdr := jws.NewHeaders()
		for k, v := range c.header {
			if k != "alg" {
				_ = hdr.Set(k, v)
			}
		}
		alg, _ := jwa.LookupSignatureAlgorithm(c.alg)
		var key any = agreeKeys()[c.signer]
		if c.signer == "pem" {
			key = []byte("-----BEGIN PUBLIC KEY-----\nnot a secret\n-----END PUBLIC KEY-----\n")
		}
		b, err := jws.Sign(payload, jws.WithKey(alg, key, jws.WithProtectedHeaders(hdr)))
		if err != nil {
			t.Fatalf("%s: sign: %v", c.name, err)
		}
		raw = string(b)
	}
	if c.finish != nil {
		raw = c.finish(raw)
	}
	return raw
}

// agreeIssuer is an HTTPS issuer serving discovery and whatever JWKS the
// current case publishes, uncached.
type agreeIssuer struct {
	url     string
	resolve map[string][]string
	root    *x509.Certificate
	jwks    atomic.Pointer[[]byte]
}

func startAgreeIssuer(t *testing.T) *agreeIssuer {
	t.Helper()
	ca, err := pki.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Leaf([]string{"issuer.test"}, pki.LeafOptions{})
	if err != nil {
		t.Fatal(err)
	}
	is := &agreeIssuer{root: ca.Root}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]any{
				"issuer": is.url, "jwks_uri": is.url + "/keys", "response_types_supported": []string{"id_token"},
				"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": stsrules.Algorithms,
			})
		case "/keys":
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write(*is.jwks.Load())
		default:
			http.NotFound(w, r)
		}
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	is.url = "https://issuer.test:" + port
	is.resolve = map[string][]string{"issuer.test:" + port: {srv.Listener.Addr().String()}}
	return is
}

// verdict is one answer: accepted (with the checks of the caveats the
// model took, sorted and joined), or refused under a rule.
type verdict struct {
	accepted bool
	rule     stsrules.RuleID
	caveats  string
}

func (v verdict) String() string {
	if v.accepted {
		return "accepted, caveats [" + v.caveats + "]"
	}
	r, _ := stsrules.Lookup(v.rule)
	return fmt.Sprintf("refused under %s (%s)", v.rule, r.Check)
}

// caveatChecks joins the checks of caveats, sorted.
func caveatChecks(cs []stsrules.Caveat) string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.Check)
	}
	slices.Sort(ids)
	return strings.Join(slices.Compact(ids), " ")
}

// caveatCheck are the checks that warn on an unconfirmed reading the model
// takes to accept (stsrules.Caveat).
var caveatCheck = map[string]bool{"TOK-003": true, "TOK-007": true, "TOK-008": true, "JWKS-010": true}

// TestRunMockAndExplainAgree is the property test of the STS model: for a
// corpus of tokens and key sets (the fixture's token defects and the key
// cascades of issue 14, plus random mutations of header, claims, signature
// and keys), run's verdicts (the checks the model's rules map to, judged on
// the evidence), the mock STS's answer through the AWS SDK and explain's
// answer agree: accept versus refuse, and the same rule and check; on an
// accept, the same caveats (run warns on each check the mock and explain
// name, and on no other caveat check).
func TestRunMockAndExplainAgree(t *testing.T) {
	is := startAgreeIssuer(t)
	host := strings.TrimPrefix(is.url, "https://")
	arn := "arn:aws:iam::111122223333:oidc-provider/" + host
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + arn + `"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`
	var mu sync.Mutex
	var last sts.Entry
	mock, err := sts.New(sts.Config{
		Account:   "111122223333",
		Providers: []sts.Provider{{URL: is.url, ClientIDs: []string{"sts.amazonaws.com"}}},
		Roles:     []sts.Role{{Name: "app", TrustPolicy: []byte(policy)}},
		// The issuer's CA stands for AWS's public roots here and in run:
		// no thumbprint is registered (TestRunAndMockAgreeOnTrust covers a
		// private CA).
		PublicRoots: []*x509.Certificate{is.root},
		Resolve:     is.resolve,
		Log: func(e sts.Entry) {
			mu.Lock()
			defer mu.Unlock()
			last = e
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := mock.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mock.Close)
	endpoint := mock.URL()
	client := awssts.New(awssts.Options{Region: "us-east-1", BaseEndpoint: &endpoint, HTTPClient: mock.Client(), RetryMaxAttempts: 1})
	fc := fetch.New(fetch.Options{Resolve: is.resolve, PublicRoots: []*x509.Certificate{is.root}})
	t.Cleanup(fc.CloseIdle)

	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	policyFile := write("trust.json", []byte(policy))
	providerFile := write("provider.json", []byte(`{"Url":"`+host+`","ClientIDList":["sts.amazonaws.com"],"ThumbprintList":[]}`))
	modelChecks := map[string]bool{}
	for _, r := range stsrules.Rules() {
		modelChecks[r.Check] = true
	}

	cases := append(agreementCorpus(t, is.url), mutations(t, is.url, 40)...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := c.sign(t)
			body, _ := json.Marshal(map[string]any{"keys": c.keys})
			is.jwks.Store(&body)

			// run: the probe, then every check, prerequisites first.
			tg := probe.Target(context.Background(), fc, probe.Job{
				Input: evidence.Input{Issuer: is.url, Profile: string(check.AWS), Audience: "sts.amazonaws.com"},
				Token: raw, TokenSource: "agreement test",
			})
			var failed, warned []string
			for id, f := range runner.JudgeAll(tg, suites.Catalog()) {
				switch {
				case f.Status == check.Failed && (modelChecks[id] || caveatCheck[id]):
					failed = append(failed, id)
				case f.Status == check.Warning && caveatCheck[id]:
					warned = append(warned, id)
				}
			}
			slices.Sort(failed)
			slices.Sort(warned)

			// The mock STS, through the AWS SDK.
			_, err := client.AssumeRoleWithWebIdentity(context.Background(), &awssts.AssumeRoleWithWebIdentityInput{
				RoleArn: aws.String("arn:aws:iam::111122223333:role/app"), RoleSessionName: aws.String("agree"),
				WebIdentityToken: aws.String(raw),
			})
			mu.Lock()
			mockV := verdict{accepted: err == nil, rule: last.Rule}
			if mockV.accepted {
				mockV.caveats = caveatChecks(last.Caveats)
			}
			mu.Unlock()

			// explain, from files, as a user runs it.
			o := &ExplainOptions{TokenFile: write("token", []byte(raw)), TrustPolicy: policyFile, IAMProvider: providerFile,
				JWKS: write("jwks.json", body), RoleARN: "arn:aws:iam::111122223333:role/app", SessionName: "agree"}
			in, ierr := o.inputs()
			if ierr != nil {
				t.Fatalf("explain inputs: %v", ierr)
			}
			e := in.judge(context.Background())
			explainV := verdict{accepted: e.succeeded(), rule: e.Rule, caveats: caveatChecks(e.caveats)}

			t.Logf("run failed %v, warned %v; mock %s; explain %s", failed, warned, mockV, explainV)
			if mockV != explainV {
				t.Errorf("mock %s, explain %s", mockV, explainV)
			}
			if mockV.accepted != (len(failed) == 0) {
				t.Errorf("mock %s, run failed %v", mockV, failed)
			}
			if r, _ := stsrules.Lookup(mockV.rule); !mockV.accepted && !slices.Contains(failed, r.Check) {
				t.Errorf("mock %s, run failed %v (not its check)", mockV, failed)
			}
			if mockV.accepted && mockV.caveats != strings.Join(warned, " ") {
				t.Errorf("mock %s, run warned %v", mockV, warned)
			}
		})
	}
}

// goodAgreeCase is a good EKS-shaped token signed by k1 under kid k1.
func goodAgreeCase(t *testing.T, issuer, name string) agreeCase {
	now := time.Now().Unix()
	return agreeCase{
		name:   name,
		header: map[string]any{"alg": "RS256", "kid": "k1"},
		claims: map[string]any{"iss": issuer, "sub": "system:serviceaccount:default:app", "aud": []string{"sts.amazonaws.com"},
			"iat": now - 60, "nbf": now - 60, "exp": now + 3600},
		signer: "k1", alg: "RS256",
		keys: []map[string]any{jwkOf(t, "k1", "k1")},
	}
}

// agreementCorpus is the fixture's token defects and issue 14's cascades.
func agreementCorpus(t *testing.T, issuer string) []agreeCase {
	c := func(name string, edit func(*agreeCase)) agreeCase {
		a := goodAgreeCase(t, issuer, name)
		edit(&a)
		return a
	}
	now := time.Now().Unix()
	return []agreeCase{
		c("good", func(*agreeCase) {}),
		c("no kid", func(a *agreeCase) { delete(a.header, "kid") }),
		c("no kid, tampered", func(a *agreeCase) { delete(a.header, "kid"); a.finish = tamperToken }),
		c(`kid "" both sides`, func(a *agreeCase) { a.header["kid"] = ""; a.keys = []map[string]any{jwkOf(t, "k1", "")} }),
		c(`kid "", JWK without kid`, func(a *agreeCase) { a.header["kid"] = ""; a.keys = []map[string]any{jwkOf(t, "k1", nil)} }),
		c("unknown kid", func(a *agreeCase) { a.header["kid"] = "rotated-away" }),
		c("tampered signature", func(a *agreeCase) { a.finish = tamperToken }),
		c("alg none", func(a *agreeCase) { a.header["alg"], a.signer = "none", "" }),
		c("HS256 with a PEM secret", func(a *agreeCase) { a.header["alg"], a.alg, a.signer = "HS256", "HS256", "pem" }),
		c("JWE", func(a *agreeCase) {
			a.finish = func(raw string) string { return strings.SplitN(raw, ".", 2)[0] + ".AAAA.AAAA.AAAA.AAAA" }
		}),
		c("two parts", func(a *agreeCase) {
			a.finish = func(raw string) string { return raw[:strings.LastIndexByte(raw, '.')] }
		}),
		c("over 20000 characters", func(a *agreeCase) { a.claims["pad"] = strings.Repeat("x", 20000) }),
		c("iss with a trailing slash", func(a *agreeCase) { a.claims["iss"] = issuer + "/" }),
		c("no aud", func(a *agreeCase) { delete(a.claims, "aud") }),
		c("wrong aud", func(a *agreeCase) { a.claims["aud"] = "https://kubernetes.default.svc" }),
		c("no sub", func(a *agreeCase) { delete(a.claims, "sub") }),
		c("sub of 300 characters", func(a *agreeCase) { a.claims["sub"] = strings.Repeat("s", 300) }),
		c("sub of 200 characters, 400 bytes", func(a *agreeCase) { a.claims["sub"] = strings.Repeat("é", 200) }),
		c("sub of 256 two-byte characters", func(a *agreeCase) { a.claims["sub"] = strings.Repeat("é", 256) }),
		c("iat a string", func(a *agreeCase) { a.claims["iat"] = fmt.Sprint(now - 60) }),
		c("exp a float", func(a *agreeCase) { a.claims["exp"] = json.Number(fmt.Sprint(now+3600) + ".5") }),
		c("exp in milliseconds", func(a *agreeCase) { a.claims["exp"] = (now + 3600) * 1000 }),
		c("expired", func(a *agreeCase) { a.claims["exp"] = now - 6*60 }),
		c("inside IAM's 5-minute window after exp", func(a *agreeCase) { a.claims["exp"] = now - 2*60 }),
		c("iat in the future", func(a *agreeCase) { a.claims["iat"] = now + 600 }),
		c("nbf in the future", func(a *agreeCase) { a.claims["nbf"] = now + 600 }),
		c("the only key 1024-bit", func(a *agreeCase) { a.signer, a.keys = "weak", []map[string]any{jwkOf(t, "weak", "k1")} }),
		c(`the key "use": "enc"`, func(a *agreeCase) { a.keys[0]["use"] = "enc" }),
		c("the key's alg ES256 on RSA", func(a *agreeCase) { a.keys[0]["alg"] = "ES256" }),
		c("the key's alg RS384, token RS256", func(a *agreeCase) { a.keys[0]["alg"] = "RS384" }),
		c("duplicate kid, the second signs", func(a *agreeCase) {
			a.signer, a.keys = "k2", []map[string]any{jwkOf(t, "k1", "k1"), jwkOf(t, "k2", "k1")}
		}),
		c("empty key set", func(a *agreeCase) { a.keys = []map[string]any{} }),
		c("an oct key under the kid", func(a *agreeCase) {
			a.keys = []map[string]any{{"kty": "oct", "kid": "k1", "k": "c2VjcmV0c2VjcmV0c2VjcmV0"}}
		}),
		c("the key under the kid does not parse", func(a *agreeCase) { a.keys[0]["n"] = "!!!" }),
		// JWKS-010: IAM documents at most 100 RSA keys; STS's refusal of
		// the exchange is unconfirmed, so all three accept and warn.
		c("101 RSA keys", func(a *agreeCase) {
			for i := range stsrules.MaxKeysPerType {
				a.keys = append(a.keys, jwkOf(t, "k2", fmt.Sprintf("retired-%d", i)))
			}
		}),
		c("100 RSA keys", func(a *agreeCase) {
			for i := range stsrules.MaxKeysPerType - 1 {
				a.keys = append(a.keys, jwkOf(t, "k2", fmt.Sprintf("retired-%d", i)))
			}
		}),
		c("ES256", func(a *agreeCase) {
			a.header["alg"], a.header["kid"], a.alg, a.signer = "ES256", "ec", "ES256", "ec"
			a.keys = []map[string]any{jwkOf(t, "ec", "ec")}
		}),
	}
}

// mutations are n random cases, each the good case with one to three
// random edits of header, claims, signature or keys (a fixed seed: the
// same corpus every run).
func mutations(t *testing.T, issuer string, n int) []agreeCase {
	rng := mrand.New(mrand.NewPCG(14, 2026))
	now := time.Now().Unix()
	edits := []func(*agreeCase){
		func(a *agreeCase) { delete(a.header, "kid") },
		func(a *agreeCase) { a.header["kid"] = "" },
		func(a *agreeCase) { a.header["kid"] = "k2" },
		func(a *agreeCase) { a.header["alg"], a.alg = "RS384", "RS384" },
		func(a *agreeCase) { a.header["alg"], a.signer = "none", "" },
		func(a *agreeCase) { a.finish = tamperToken },
		func(a *agreeCase) { a.claims["iss"] = strings.ToUpper(issuer) },
		func(a *agreeCase) { a.claims["aud"] = []string{"other", "sts.amazonaws.com"} },
		func(a *agreeCase) { a.claims["aud"] = 7 },
		func(a *agreeCase) { a.claims["sub"] = strings.Repeat("ü", 100+rng.IntN(200)) },
		func(a *agreeCase) { a.claims["sub"] = 42 },
		func(a *agreeCase) { a.claims["exp"] = now - int64(rng.IntN(600)) },
		func(a *agreeCase) { a.claims["iat"] = now + int64(rng.IntN(200)) },
		func(a *agreeCase) { a.claims["nbf"] = "soon" },
		func(a *agreeCase) { a.claims["azp"] = "client" },
		func(a *agreeCase) { delete(a.claims, "exp") },
		func(a *agreeCase) { a.keys = append(a.keys, jwkOf(t, "k2", "k2")) },
		func(a *agreeCase) { a.keys = []map[string]any{jwkOf(t, "k2", "k1")} },
		func(a *agreeCase) { a.keys[0]["use"] = "enc" },
		func(a *agreeCase) { a.keys[0]["alg"] = "PS256" },
		func(a *agreeCase) { delete(a.keys[0], "kid") },
		func(a *agreeCase) { a.keys = []map[string]any{jwkOf(t, "weak", "k1")} },
	}
	out := make([]agreeCase, n)
	for i := range out {
		a := goodAgreeCase(t, issuer, "")
		var picked []int
		for range 1 + rng.IntN(3) {
			j := rng.IntN(len(edits))
			edits[j](&a)
			picked = append(picked, j)
		}
		a.name = fmt.Sprintf("mutation %d edits %v", i, picked)
		out[i] = a
	}
	return out
}

// tamperToken changes one character in the middle of the signature.
func tamperToken(raw string) string {
	dot := strings.LastIndexByte(raw, '.')
	if dot < 0 || dot == len(raw)-1 {
		return raw
	}
	i := dot + 1 + (len(raw)-dot-1)/2
	c := byte('A')
	if raw[i] == 'A' {
		c = 'B'
	}
	return raw[:i] + string(c) + raw[i+1:]
}
