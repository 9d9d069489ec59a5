package sts

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jws"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
)

const modelIssuer = "https://issuer.test/id/X"

// observedTarget is the evidence of a run with a real token signed by key
// under kid "k", its JWKS, the IAM registration and trust policy, and a
// failed exchange answering code.
func observedTarget(t *testing.T, claims map[string]any, policy string, code string) *evidence.Target {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	hdr := jws.NewHeaders()
	_ = hdr.Set(jws.KeyIDKey, "k")
	payload, _ := json.Marshal(claims)
	raw, err := jws.Sign(payload, jws.WithKey(jwa.RS256(), key, jws.WithProtectedHeaders(hdr)))
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := jwk.PublicKeyOf(&key.PublicKey)
	_ = pub.Set(jwk.KeyIDKey, "k")
	set := jwk.NewSet()
	_ = set.AddKey(pub)
	body, _ := json.Marshal(set)
	now := time.Now().UTC()
	tok := token.Observe(string(raw), "test")
	tok.Verifications = token.Verify(context.Background(), string(raw), modelIssuer, body)
	return &evidence.Target{
		Input:     evidence.Input{Issuer: modelIssuer, Profile: "aws", Audience: "sts.amazonaws.com"},
		ProbedAt:  now,
		Discovery: &evidence.Exchange{Hops: []evidence.Hop{{Status: 200}}},
		JWKS:      &evidence.Exchange{Hops: []evidence.Hop{{Status: 200, Body: body}}},
		Token:     tok,
		IAM: &evidence.IAM{ProviderURL: "issuer.test/id/X", ClientIDs: []string{"sts.amazonaws.com"}, RoleARN: role,
			TrustPolicy: json.RawMessage(policy)},
		STS: &evidence.STS{Mode: "mock", Endpoint: "https://127.0.0.1:1", RoleARN: role, SessionName: session,
			Assume: &evidence.STSCall{ErrorCode: code, HTTPStatus: 400, Error: "refused"}},
	}
}

// TestSTS001NamesTheRoot: a failed exchange names the check the STS model
// finds at the root of STS's answer.
func TestSTS001NamesTheRoot(t *testing.T) {
	now := time.Now().Unix()
	good := func() map[string]any {
		return map[string]any{"iss": modelIssuer, "sub": sub, "aud": "sts.amazonaws.com", "iat": now - 60, "exp": now + 3600}
	}
	allow := func(subject string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/issuer.test/id/X"},` +
			`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"issuer.test/id/X:sub":"` + subject + `"}}}]}`
	}
	expired := good()
	expired["exp"] = now - 6*60 // past IAM's 5-minute window
	otherAud := good()
	otherAud["aud"] = "other"
	tests := []struct {
		name, code string
		claims     map[string]any
		policy     string
		want       string
	}{
		{"expired", "ExpiredTokenException", expired, allow(sub), "explained by the rule TOK-009 judges"},
		{"audience", "InvalidIdentityToken", otherAud, allow(sub), "explained by the rule TOK-006 judges"},
		{"trust conditions", "AccessDenied", good(), allow("system:serviceaccount:other:x"), "explained by the rule IAM-007 judges"},
		{"trust principal", "AccessDenied", good(), `{"Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/other"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`,
			"explained by the rule IAM-004 judges"},
		{"model accepts", "InvalidIdentityToken", good(), allow(sub), "the STS model accepts this token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := judgeAssume(observedTarget(t, tt.claims, tt.policy, tt.code))
			if !strings.Contains(f.Message, tt.want) {
				t.Errorf("STS-001 = %s %q, want it to contain %q", f.Status, f.Message, tt.want)
			}
		})
	}
}
