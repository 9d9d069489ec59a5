package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testKeyID   = "ASIAIOSFODNN7EXAMPLE"
	testSecret  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	testToken   = "IQoJb3JpZ2luX2VjEXAMPLEtoken"
	longTermKey = "AKIAIOSFODNN7EXAMPLE"
	testBody    = "Action=GetCallerIdentity&Version=2011-06-15"
)

// serverNow is the verifying server's clock.
var serverNow = time.Date(2025, 10, 9, 12, 0, 0, 0, time.UTC)

// issued are the credentials the test server knows.
var issued = map[string]Credentials{
	testKeyID:              {SecretAccessKey: testSecret, SessionToken: testToken, Expires: serverNow.Add(time.Hour)},
	longTermKey:            {SecretAccessKey: testSecret},
	"ASIAEXPIREDEXAMPLE00": {SecretAccessKey: testSecret, SessionToken: testToken, Expires: serverNow.Add(-time.Second)},
}

// outcome is what the test server reports about a request.
type outcome struct {
	Kind    Kind   `json:"kind"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Status  int    `json:"status"`
	Service string `json:"service"`
}

// newServer starts a server that verifies each request and reports the outcome.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		scope, err := VerifyScope(r, body, func(id string) (Credentials, bool) {
			c, ok := issued[id]
			return c, ok
		}, serverNow)
		out := outcome{Service: scope.Service}
		var e *Error
		if errors.As(err, &e) {
			out = outcome{Kind: e.Kind, Code: e.Code, Message: e.Message, Status: e.HTTPStatus, Service: scope.Service}
		} else if err != nil {
			out.Message = "unexpected error type: " + err.Error()
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// request is how one test request is signed and altered.
type request struct {
	keyID, secret, token string
	at                   time.Time
	service              string
	// after changes the signed request before it is sent.
	after func(r *http.Request)
}

// send signs and sends a request to srv and returns the server's outcome.
func send(t *testing.T, srv *httptest.Server, rq request) outcome {
	t.Helper()
	if rq.keyID == "" {
		rq.keyID, rq.secret, rq.token = testKeyID, testSecret, testToken
	}
	if rq.at.IsZero() {
		rq.at = serverNow.Add(-time.Minute)
	}
	if rq.service == "" {
		rq.service = "sts"
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(testBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req.Header.Set("Amz-Sdk-Invocation-Id", "b8a0f3d2-0000-4000-8000-000000000000")
	creds := aws.Credentials{AccessKeyID: rq.keyID, SecretAccessKey: rq.secret, SessionToken: rq.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, payloadHash(testBody), rq.service, "us-east-1", rq.at); err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", "unsigned/1.0") // not signed: must not matter
	if rq.after != nil {
		rq.after(req)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out outcome
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestVerifyScope(t *testing.T) {
	setBody := func(s string) func(*http.Request) {
		return func(r *http.Request) {
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(s)), int64(len(s))
		}
	}
	editAuth := func(old, new string) func(*http.Request) {
		return func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
		}
	}
	tests := []struct {
		name    string
		rq      request
		kind    Kind
		code    string
		status  int
		message string // prefix
	}{
		{"good", request{}, "", "", 0, ""},
		{"good long-term key", request{keyID: longTermKey, secret: testSecret}, "", "", 0, ""},
		{"good at the edge of the window", request{at: serverNow.Add(-MaxSkew + time.Second)}, "", "", 0, ""},
		{"good a little ahead", request{at: serverNow.Add(MaxSkew - time.Second)}, "", "", 0, ""},
		{"extra unsigned header", request{after: func(r *http.Request) { r.Header.Set("X-Extra", "x") }}, "", "", 0, ""},
		{"no Authorization", request{after: func(r *http.Request) { r.Header.Del("Authorization") }},
			KindMissing, CodeMissingAuthenticationToken, 403, "Request is missing Authentication Token"},
		{"other algorithm", request{after: editAuth(Algorithm, "AWS4-HMAC-SHA512")},
			KindIncomplete, CodeIncompleteSignature, 400, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'"},
		{"no Signature", request{after: editAuth(", Signature=", ", Sig=")},
			KindIncomplete, CodeIncompleteSignature, 400, "Authorization header requires 'Signature' parameter."},
		{"short credential", request{after: editAuth("/us-east-1/sts/aws4_request", "/us-east-1/aws4_request")},
			KindIncomplete, CodeIncompleteSignature, 400, "Credential must have exactly 5 slash-delimited elements"},
		{"bad terminator", request{after: editAuth("/aws4_request", "/aws5_request")},
			KindIncomplete, CodeIncompleteSignature, 400, "Credential should be scoped with a valid terminator"},
		{"signature not hex", request{after: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:len(a)-64]+strings.Repeat("z", 64))
		}}, KindIncomplete, CodeIncompleteSignature, 400, "Signature must be 64 hexadecimal characters."},
		{"no X-Amz-Date", request{after: func(r *http.Request) { r.Header.Del("X-Amz-Date") }},
			KindIncomplete, CodeIncompleteSignature, 400, "Authorization header requires existence of either a 'X-Amz-Date'"},
		{"bad X-Amz-Date", request{after: func(r *http.Request) { r.Header.Set("X-Amz-Date", "yesterday") }},
			KindIncomplete, CodeIncompleteSignature, 400, "X-Amz-Date must be in the ISO-8601 basic format"},
		{"signed 16 minutes ago", request{at: serverNow.Add(-16 * time.Minute)}, KindClockSkew, CodeSignatureDoesNotMatch, 403,
			"Signature expired: 20251009T114400Z is now earlier than 20251009T114500Z (20251009T120000Z - 15 min.)"},
		{"signed 16 minutes ahead", request{at: serverNow.Add(16 * time.Minute)}, KindClockSkew, CodeSignatureDoesNotMatch, 403,
			"Signature not yet current: 20251009T121600Z is still later than 20251009T121500Z (20251009T120000Z + 15 min.)"},
		{"scope date differs", request{after: editAuth("/20251009/", "/20251008/")}, KindScope, CodeSignatureDoesNotMatch, 403,
			"Date in Credential scope does not match"},
		{"unknown key", request{keyID: "ASIAUNKNOWNEXAMPLE00", secret: testSecret, token: testToken},
			KindUnknownKey, CodeInvalidClientTokenID, 403, "The security token included in the request is invalid."},
		{"no session token", request{keyID: testKeyID, secret: testSecret},
			KindSessionToken, CodeInvalidClientTokenID, 403, "The security token included in the request is invalid."},
		{"wrong session token", request{keyID: testKeyID, secret: testSecret, token: testToken + "x"},
			KindSessionToken, CodeInvalidClientTokenID, 403, "The security token included in the request is invalid."},
		{"session token on a long-term key", request{keyID: longTermKey, secret: testSecret, token: testToken},
			KindSessionToken, CodeInvalidClientTokenID, 403, "The security token"},
		{"session token sent but not signed", request{keyID: testKeyID, secret: testSecret, after: func(r *http.Request) {
			r.Header.Set("X-Amz-Security-Token", testToken)
		}}, KindMismatch, CodeSignatureDoesNotMatch, 403, "The request signature we calculated does not match"},
		{"expired credentials", request{keyID: "ASIAEXPIREDEXAMPLE00", secret: testSecret, token: testToken},
			KindExpiredCredentials, CodeExpiredToken, 403, "The security token included in the request is expired"},
		{"wrong secret", request{keyID: testKeyID, secret: testSecret + "x", token: testToken},
			KindMismatch, CodeSignatureDoesNotMatch, 403, "The request signature we calculated does not match the signature you provided."},
		{"tampered body", request{after: setBody("Action=GetCallerIdentity&Version=2011-06-16")},
			KindMismatch, CodeSignatureDoesNotMatch, 403, "The request signature we calculated"},
		{"tampered signed header", request{after: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }},
			KindMismatch, CodeSignatureDoesNotMatch, 403, "The request signature we calculated"},
		{"signed header removed", request{after: func(r *http.Request) { r.Header.Del("Amz-Sdk-Invocation-Id") }},
			KindMismatch, CodeSignatureDoesNotMatch, 403, "The request signature we calculated"},
		{"signed headers list edited", request{after: editAuth("SignedHeaders=", "SignedHeaders=accept;")},
			KindMismatch, CodeSignatureDoesNotMatch, 403, "The request signature we calculated"},
		{"other path", request{after: func(r *http.Request) { r.URL.Path = "/other" }},
			KindMismatch, CodeSignatureDoesNotMatch, 403, "The request signature we calculated"},
	}
	srv := newServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := send(t, srv, tt.rq)
			if got.Kind != tt.kind || got.Code != tt.code || got.Status != tt.status {
				t.Fatalf("got %+v, want kind %q code %q status %d", got, tt.kind, tt.code, tt.status)
			}
			if !strings.HasPrefix(got.Message, tt.message) {
				t.Errorf("message %q, want prefix %q", got.Message, tt.message)
			}
			if tt.kind == "" && got.Service != "sts" {
				t.Errorf("scope service %q", got.Service)
			}
			for _, secret := range []string{testSecret, testToken} {
				if strings.Contains(got.Message, secret) {
					t.Errorf("message %q carries a secret", got.Message)
				}
			}
		})
	}
}

func TestVerifySimple(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "https://sts.example.com/", bytes.NewReader([]byte(testBody)))
	at := serverNow.Add(-time.Minute)
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: testToken}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, payloadHash(testBody), "sts", "eu-west-1", at); err != nil {
		t.Fatal(err)
	}
	server := httptest.NewRequest(http.MethodPost, "https://sts.example.com/", strings.NewReader(testBody))
	server.Header = req.Header.Clone()
	lookup := func(id string) (string, string, bool) {
		if id != testKeyID {
			return "", "", false
		}
		return testSecret, testToken, true
	}
	if err := Verify(server, []byte(testBody), lookup, serverNow); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if err := Verify(server, []byte(testBody+"&x=1"), lookup, serverNow); err == nil {
		t.Fatal("Verify accepted another body")
	}
}

// payloadHash is the hex SHA-256 of body.
func payloadHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}
