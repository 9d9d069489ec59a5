package sts

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

const (
	role       = "arn:aws:iam::111122223333:role/app"
	session    = "oidc-conformance"
	assumedARN = "arn:aws:sts::111122223333:assumed-role/app/oidc-conformance"
	sub        = "system:serviceaccount:default:app"
)

func target(edit func(*evidence.Target)) *evidence.Target {
	claims, _ := json.Marshal(map[string]any{"sub": sub, "aud": "sts.amazonaws.com"})
	t := &evidence.Target{
		Input: evidence.Input{Audience: "sts.amazonaws.com"},
		Token: &evidence.Token{Claims: claims},
		STS: &evidence.STS{Mode: "mock", Endpoint: "https://127.0.0.1:1", RoleARN: role, SessionName: session,
			Assume: &evidence.STSCall{OK: true, SubjectFromWebIdentityToken: sub, Audience: "sts.amazonaws.com",
				AssumedRoleARN: assumedARN, AssumedRoleID: "AROAEXAMPLE:" + session, Expiration: time.Now().Add(time.Hour), HasCredentials: true},
			CallerIdentity: &evidence.STSCall{OK: true, Arn: assumedARN, Account: "111122223333"},
		},
	}
	if edit != nil {
		edit(t)
	}
	return t
}

func TestJudges(t *testing.T) {
	tests := []struct {
		name string
		id   string
		edit func(*evidence.Target)
		want check.Status
		msg  string
	}{
		{"credentials", "STS-001", nil, check.Passed, assumedARN},
		{"no role", "STS-001", func(t *evidence.Target) { t.STS = nil }, check.Skipped, "--role-arn"},
		{"no token", "STS-001", func(t *evidence.Target) { t.STS.Skipped = "no token to exchange" }, check.Skipped, "no token"},
		{"access denied", "STS-001", func(t *evidence.Target) {
			t.STS.Assume = &evidence.STSCall{ErrorCode: "AccessDenied", HTTPStatus: 403, Error: "Not authorized to perform sts:AssumeRoleWithWebIdentity"}
		}, check.Failed, "AccessDenied (HTTP 403): Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"mock refused", "STS-001", func(t *evidence.Target) {
			t.STS.Assume = &evidence.STSCall{Error: "the mock STS cannot be configured"}
		}, check.Failed, "cannot be configured"},
		{"result", "STS-002", nil, check.Passed, sub},
		{"wrong subject", "STS-002", func(t *evidence.Target) { t.STS.Assume.SubjectFromWebIdentityToken = "x" }, check.Failed, "SubjectFromWebIdentityToken"},
		{"wrong audience", "STS-002", func(t *evidence.Target) { t.STS.Assume.Audience = "x" }, check.Failed, "Audience"},
		{"not the expected audience", "STS-002", func(t *evidence.Target) {
			t.Input.Audience = "my-app"
		}, check.Failed, "expected audience"},
		{"wrong arn", "STS-002", func(t *evidence.Target) { t.STS.Assume.AssumedRoleARN = "arn:aws:sts::1:assumed-role/x/y" }, check.Failed, "AssumedRoleUser.Arn"},
		{"assume failed is blocked", "STS-002", func(t *evidence.Target) { t.STS.Assume.OK = false }, check.Skipped, "not judged: STS-001 failed"},
		{"caller identity", "STS-003", nil, check.Passed, assumedARN},
		{"caller identity fails", "STS-003", func(t *evidence.Target) {
			t.STS.CallerIdentity = &evidence.STSCall{ErrorCode: "InvalidClientTokenId", HTTPStatus: 403, Error: "The security token included in the request is invalid."}
		}, check.Failed, "InvalidClientTokenId"},
		{"caller identity other arn", "STS-003", func(t *evidence.Target) { t.STS.CallerIdentity.Arn = "arn:aws:sts::1:assumed-role/x/y" }, check.Failed, "says"},
	}
	cat := Checks()
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.name, func(t *testing.T) {
			c, _ := cat.Lookup(tt.id)
			f := c.Judge(target(tt.edit))
			if f.Status != tt.want || !strings.Contains(f.Message, tt.msg) {
				t.Errorf("%s = %s %q, want %s containing %q", tt.id, f.Status, f.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestCatalogValid(t *testing.T) {
	if err := Checks().Validate(); err != nil {
		t.Fatal(err)
	}
}
