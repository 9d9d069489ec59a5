package stsrules

import (
	"context"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestVerifyGood(t *testing.T) {
	v := verifier(t)
	tok := sign(t, goodClaims())
	id, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := &Identity{
		Provider:  testProvider,
		Issuer:    testIssuer,
		Subject:   testSub,
		Audience:  "sts.amazonaws.com",
		Audiences: []string{"sts.amazonaws.com"},
		Algorithm: "RS256",
		KeyID:     testKid,
		IssuedAt:  testNow.Add(-time.Hour),
		NotBefore: testNow.Add(-time.Hour),
		Expires:   testNow.Add(23 * time.Hour),
	}
	if id.Signer.Index != 0 || id.Signer.ID != testKid || id.Signer.Of != 1 {
		t.Errorf("signer %s, want key #1 (kid %q) alone", id.Signer.Describe(), testKid)
	}
	id.Signer = Signer{}
	if sub, _, _ := id.ClaimSet().str("sub"); sub != testSub {
		t.Errorf("ClaimSet sub %q, want %q", sub, testSub)
	}
	id.claims = nil
	if !reflect.DeepEqual(id, want) {
		t.Errorf("identity\n got %+v\nwant %+v", id, want)
	}
	wantValues := map[string][]string{"aud": {"sts.amazonaws.com"}, "sub": {testSub}}
	if got := id.ConditionValues(); !reflect.DeepEqual(got, wantValues) {
		t.Errorf("ConditionValues = %v, want %v", got, wantValues)
	}
}

func TestVerifyTrailingNewline(t *testing.T) {
	if _, err := verifier(t).Verify(context.Background(), sign(t, goodClaims())+"\n"); err != nil {
		t.Errorf("token with a final newline: %v", err)
	}
}

func TestVerifyAlgorithms(t *testing.T) {
	v := verifier(t)
	for _, alg := range []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"} {
		t.Run(alg, func(t *testing.T) {
			var key any = rsaKey()
			kid := "rsa-any"
			if alg[:2] == "ES" {
				key, kid = ecKeys()[alg], alg
			}
			c := goodClaims()
			c["amr"] = "pwd"
			c["azp"] = "client"
			id, err := v.Verify(context.Background(), signRaw(t, alg, key, &kid, mustJSON(t, c)))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if id.Algorithm != alg || id.KeyID != kid {
				t.Errorf("alg %s kid %s", id.Algorithm, id.KeyID)
			}
			want := map[string][]string{"aud": {"sts.amazonaws.com"}, "sub": {testSub}, "amr": {"pwd"}, "azp": {"client"}}
			if got := id.ConditionValues(); !reflect.DeepEqual(got, want) {
				t.Errorf("ConditionValues = %v, want %v", got, want)
			}
		})
	}
}

func TestVerifyAudience(t *testing.T) {
	v := verifier(t)
	v.Providers = []Provider{{URL: testProvider.URL, ClientIDs: []string{"a", "sts.amazonaws.com"}}}
	c := goodClaims()
	c["aud"] = []string{"other", "sts.amazonaws.com", "a"}
	id, err := v.Verify(context.Background(), sign(t, c))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if id.Audience != "sts.amazonaws.com" {
		t.Errorf("Audience = %q, want the first aud that is a client ID", id.Audience)
	}
	c["aud"] = "a"
	if id, err = v.Verify(context.Background(), sign(t, c)); err != nil || id.Audience != "a" {
		t.Errorf("string aud: %v, %+v", err, id)
	}
}

func TestVerifyErrors(t *testing.T) {
	with := func(change func(map[string]any)) map[string]any {
		c := goodClaims()
		change(c)
		return c
	}
	kid := testKid
	good := sign(t, goodClaims())
	parts := strings.Split(good, ".")
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	hs256 := signRaw(t, "HS256", []byte("0123456789abcdef0123456789abcdef"), &kid, mustJSON(t, goodClaims()))
	tests := []struct {
		name    string
		token   string
		rule    RuleID
		code    string
		message string // exact, or a prefix when it ends in "..."
	}{
		{"white space inside", parts[0] + "." + parts[1] + ".\n" + parts[2], RuleCompactJWS, CodeInvalidIdentityToken, "the signature part is not base64url..."},
		{"two parts", parts[0] + "." + parts[1], RuleCompactJWS, CodeInvalidIdentityToken, "The token is not a compact JWT: 2 parts separated by '.', want 3..."},
		{"five parts (a JWE)", parts[0] + "." + parts[1] + ".a.b.c", RuleCompactJWS, CodeInvalidIdentityToken, "an encrypted token (JWE): STS needs a signed JWT..."},
		{"not base64 header", "!!." + parts[1] + "." + parts[2], RuleCompactJWS, CodeInvalidIdentityToken, "the header part is not base64url..."},
		{"padded payload", parts[0] + "." + parts[1] + "==." + parts[2], RuleCompactJWS, CodeInvalidIdentityToken, "the claims part is not base64url..."},
		{"bad signature encoding", parts[0] + "." + parts[1] + ".a+b", RuleCompactJWS, CodeInvalidIdentityToken, "the signature part is not base64url..."},
		{"header not JSON", b64("nope") + "." + parts[1] + "." + parts[2], RuleCompactJWS, CodeInvalidIdentityToken, "the header part is not JSON..."},
		{"header without alg", b64(`{"kid":"x"}`) + "." + parts[1] + "." + parts[2], RuleSigningAlgorithm, CodeInvalidIdentityToken, "The token header has no alg..."},
		{"kid not a string", b64(`{"alg":"RS256","kid":7}`) + "." + parts[1] + "." + parts[2], RuleKeyID, CodeInvalidIdentityToken, MsgKeyNotRetrieved},
		{"crit header", b64(`{"alg":"RS256","kid":"x","crit":["exp"]}`) + "." + parts[1] + "." + parts[2], RuleCompactJWS, CodeInvalidIdentityToken, "The token header has crit..."},
		{"payload not JSON", parts[0] + "." + b64("[1]") + "." + parts[2], RuleCompactJWS, CodeInvalidIdentityToken, "the claims part is JSON but not an object..."},
		{"no iss", sign(t, with(func(c map[string]any) { delete(c, "iss") })), RuleIssuerClaim, CodeInvalidIdentityToken, "Missing a required claim: iss"},
		{"iss not a string", sign(t, with(func(c map[string]any) { c["iss"] = 1 })), RuleIssuerClaim, CodeInvalidIdentityToken, "Missing a required claim: iss"},
		{"unknown issuer", sign(t, with(func(c map[string]any) { c["iss"] = "https://other.example.com" })), RuleProvider, CodeInvalidIdentityToken,
			"No OpenIDConnect provider found in your account for https://other.example.com"},
		{"issuer with trailing slash", sign(t, with(func(c map[string]any) { c["iss"] = testIssuer + "/" })), RuleProvider, CodeInvalidIdentityToken,
			"No OpenIDConnect provider found in your account for " + testIssuer + "/"},
		{"issuer without scheme", sign(t, with(func(c map[string]any) { c["iss"] = strings.TrimPrefix(testIssuer, "https://") })), RuleProvider, CodeInvalidIdentityToken,
			"No OpenIDConnect provider found in your account for " + strings.TrimPrefix(testIssuer, "https://")},
		{"alg none", b64(`{"alg":"none","kid":"`+testKid+`"}`) + "." + parts[1] + ".", RuleSigningAlgorithm, CodeInvalidIdentityToken, `Unsupported token signing algorithm "none"...`},
		{"HS256", hs256, RuleSigningAlgorithm, CodeInvalidIdentityToken, `Unsupported token signing algorithm "HS256"...`},
		{"PS256", signRaw(t, "PS256", rsaKey(), &kid, mustJSON(t, goodClaims())), RuleAlgorithm, CodeInvalidIdentityToken, `Unsupported token signing algorithm "PS256"...`},
		{"unknown kid", signRaw(t, "RS256", rsaKey(), ptr("unknown"), mustJSON(t, goodClaims())), RuleKeyID, CodeInvalidIdentityToken, MsgKeyNotRetrieved},
		{"signed by another key", signRaw(t, "RS256", otherRSA(), &kid, mustJSON(t, goodClaims())), RuleSignature, CodeInvalidIdentityToken, "The token signature is invalid"},
		{"no kid, signed by another key", signRaw(t, "RS256", otherRSA(), nil, mustJSON(t, goodClaims())), RuleSignature, CodeInvalidIdentityToken, "The token signature is invalid"},
		{"tampered payload", parts[0] + "." + b64(strings.Replace(string(mustJSON(t, goodClaims())), "default", "kube-system", 1)) + "." + parts[2],
			RuleSignature, CodeInvalidIdentityToken, "The token signature is invalid"},
		{"EC key for RS256", signRaw(t, "RS256", rsaKey(), ptr("ES256"), mustJSON(t, goodClaims())), RuleSignature, CodeInvalidIdentityToken,
			"The token signature is invalid"},
		{"exp missing", sign(t, with(func(c map[string]any) { delete(c, "exp") })), RuleNumericDate, CodeInvalidIdentityToken, "Missing a required claim: exp"},
		{"exp a string", sign(t, with(func(c map[string]any) { c["exp"] = "1760082800" })), RuleNumericDate, CodeInvalidIdentityToken,
			`The token's exp claim must be an integer number of seconds: exp is a string, "1760082800"...`},
		{"exp a fraction", sign(t, with(func(c map[string]any) { c["exp"] = 1760082800.5 })), RuleNumericDate, CodeInvalidIdentityToken,
			"The token's exp claim must be an integer number of seconds: exp is 1760082800.5, not an integer..."},
		{"iat missing", sign(t, with(func(c map[string]any) { delete(c, "iat") })), RuleNumericDate, CodeInvalidIdentityToken, "Missing a required claim: iat"},
		{"iat exponent", signRaw(t, "RS256", rsaKey(), &kid, withRaw(t, "iat", "1.7e9")), RuleNumericDate, CodeInvalidIdentityToken, "The token's iat claim must be an integer..."},
		{"exp milliseconds as float", signRaw(t, "RS256", rsaKey(), &kid, withRaw(t, "exp", "1760082800000.0")), RuleNumericDate, CodeInvalidIdentityToken, "The token's exp claim must be an integer..."},
		{"nbf a string", sign(t, with(func(c map[string]any) { c["nbf"] = "x" })), RuleNumericDate, CodeInvalidIdentityToken, "The token's nbf claim must be an integer..."},
		{"aud missing", sign(t, with(func(c map[string]any) { delete(c, "aud") })), RuleAudienceClaim, CodeInvalidIdentityToken, "Missing a required claim: aud"},
		{"aud empty", sign(t, with(func(c map[string]any) { c["aud"] = []string{} })), RuleAudienceClaim, CodeInvalidIdentityToken, "Missing a required claim: aud"},
		{"aud a number", sign(t, with(func(c map[string]any) { c["aud"] = 3 })), RuleAudienceClaim, CodeInvalidIdentityToken, "Missing a required claim: aud"},
		{"sub missing", sign(t, with(func(c map[string]any) { delete(c, "sub") })), RuleSubject, CodeInvalidIdentityToken, "Missing a required claim: sub"},
		{"sub empty", sign(t, with(func(c map[string]any) { c["sub"] = "" })), RuleSubject, CodeInvalidIdentityToken, "Missing a required claim: sub"},
		{"sub of 256 characters", sign(t, with(func(c map[string]any) { c["sub"] = strings.Repeat("é", 256) })), RuleSubject, CodeInvalidIdentityToken,
			"The sub claim is 256 characters long; STS takes at most 255"},
		{"wrong audience", sign(t, with(func(c map[string]any) { c["aud"] = []string{"other"} })), RuleAudience, CodeInvalidIdentityToken, MsgIncorrectAudience},
		{"audience differs in case", sign(t, with(func(c map[string]any) { c["aud"] = "STS.amazonaws.com" })), RuleAudience, CodeInvalidIdentityToken, MsgIncorrectAudience},
		{"expired 6 min ago", sign(t, with(func(c map[string]any) { c["exp"] = testNow.Add(-6 * time.Minute).Unix() })), RuleExpired, CodeExpiredToken,
			"Token expired: current date/time 1760000000 must be before the expiration date/time 1759999640"},
		{"exp plus IAM's window equals now", sign(t, with(func(c map[string]any) { c["exp"] = testNow.Add(-ExpiryWindow).Unix() })), RuleExpired, CodeExpiredToken,
			"Token expired: current date/time 1760000000 must be before the expiration date/time 1759999700"},
		{"issued in the future", sign(t, with(func(c map[string]any) { c["iat"] = testNow.Add(2 * time.Minute).Unix() })), RuleNotYetValid, CodeInvalidIdentityToken,
			"The token was issued in the future..."},
		{"not valid yet", sign(t, with(func(c map[string]any) { c["nbf"] = testNow.Add(2 * time.Minute).Unix() })), RuleNotYetValid, CodeInvalidIdentityToken,
			"The token is not valid yet..."},
	}
	v := verifier(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := v.Verify(context.Background(), tt.token)
			if err == nil {
				t.Fatalf("Verify succeeded: %+v", id)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			if e.Rule != tt.rule || e.Code != tt.code || e.HTTPStatus != 400 {
				t.Errorf("rule %s code %s status %d, want %s %s 400", e.Rule, e.Code, e.HTTPStatus, tt.rule, tt.code)
			}
			if prefix, ok := strings.CutSuffix(tt.message, "..."); ok {
				if !strings.HasPrefix(e.Message, prefix) {
					t.Errorf("message %q, want prefix %q", e.Message, prefix)
				}
			} else if e.Message != tt.message {
				t.Errorf("message\n got %q\nwant %q", e.Message, tt.message)
			}
			assertNoToken(t, err.Error(), tt.token)
		})
	}
}

func TestVerifyFutureSkew(t *testing.T) {
	c := goodClaims()
	c["iat"] = testNow.Add(FutureSkew).Unix()
	c["nbf"] = testNow.Add(FutureSkew).Unix()
	if _, err := verifier(t).Verify(context.Background(), sign(t, c)); err != nil {
		t.Errorf("iat and nbf %v ahead: %v", FutureSkew, err)
	}
}

// keySourceFunc adapts a function to KeySource.
type keySourceFunc func(ctx context.Context, p Provider, fresh bool) ([]Key, error)

func (f keySourceFunc) Keys(ctx context.Context, p Provider, fresh bool) ([]Key, error) {
	return f(ctx, p, fresh)
}

func TestVerifyKeySourceErrors(t *testing.T) {
	tok := sign(t, goodClaims())
	idpErr := IDPCommunicationError(RuleJWKSError, "issuer answered 503")
	tests := []struct {
		name       string
		err        error
		code, msg  string
		wantSameAs *Error
	}{
		{"Error passed through", idpErr, CodeIDPCommunicationError, "issuer answered 503", idpErr},
		{"other error", errors.New("dial tcp: connection refused"), CodeInvalidIdentityToken, MsgKeyNotRetrieved, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verifier(t)
			var asked Provider
			v.Keys = keySourceFunc(func(_ context.Context, p Provider, _ bool) ([]Key, error) {
				asked = p
				return nil, tt.err
			})
			_, err := v.Verify(context.Background(), tok)
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Message != tt.msg {
				t.Fatalf("error %v, want %s %q", err, tt.code, tt.msg)
			}
			if tt.wantSameAs != nil && e != tt.wantSameAs {
				t.Errorf("the KeySource's *Error was not passed through as it is")
			}
			if tt.wantSameAs == nil && !errors.Is(err, tt.err) {
				t.Errorf("cause %v not wrapped", tt.err)
			}
			if !reflect.DeepEqual(asked, testProvider) {
				t.Errorf("KeySource asked for provider %+v", asked)
			}
		})
	}
}

// TestRefetchOnUnknownKid: a kid missing from the (cached) set asks the
// source once more, fresh.
func TestRefetchOnUnknownKid(t *testing.T) {
	good := verifier(t).Keys
	var asks []bool
	v := verifier(t)
	v.Keys = keySourceFunc(func(ctx context.Context, p Provider, fresh bool) ([]Key, error) {
		asks = append(asks, fresh)
		if !fresh {
			return []Key{{ID: "old", HasID: true, Public: &otherRSA().PublicKey}}, nil
		}
		return good.Keys(ctx, p, fresh)
	})
	if _, err := v.Verify(context.Background(), sign(t, goodClaims())); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !reflect.DeepEqual(asks, []bool{false, true}) {
		t.Errorf("asks %v, want [false true]", asks)
	}
}

func TestNoSuchKidCause(t *testing.T) {
	_, err := verifier(t).Verify(context.Background(), signRaw(t, "RS256", rsaKey(), ptr("nope"), mustJSON(t, goodClaims())))
	if !errors.Is(err, ErrNoSuchKid) {
		t.Errorf("error %v does not wrap ErrNoSuchKid", err)
	}
}

// withRaw returns the good claims as JSON with claim's value replaced by the
// raw JSON text value.
func withRaw(t *testing.T, claim, value string) []byte {
	t.Helper()
	c := goodClaims()
	c[claim] = "PLACEHOLDER"
	return []byte(strings.Replace(string(mustJSON(t, c)), `"PLACEHOLDER"`, value, 1))
}

// assertNoToken fails when msg carries the token or any of its parts.
func assertNoToken(t *testing.T, msg, token string) {
	t.Helper()
	for _, part := range strings.Split(token, ".") {
		if len(part) >= 8 && strings.Contains(msg, part) {
			t.Errorf("error message %q contains part of the token", msg)
		}
	}
}
