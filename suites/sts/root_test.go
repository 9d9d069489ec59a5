package sts

import (
	"slices"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// TestRootOfRefusal: with no token for the model to refuse, only a refusal
// about retrieving the documents is explained by a retrieval check; an
// AccessDenied or any other answer is STS-001's own finding.
func TestRootOfRefusal(t *testing.T) {
	tests := []struct {
		name string
		call *evidence.STSCall
		want []string
	}{
		{"credentials", &evidence.STSCall{OK: true}, nil},
		{"key not retrieved", &evidence.STSCall{ErrorCode: stsrules.CodeInvalidIdentityToken, Error: stsrules.MsgKeyNotRetrieved}, retrievalRoots},
		{"IdP unreachable", &evidence.STSCall{ErrorCode: stsrules.CodeIDPCommunicationError, Error: "x"}, retrievalRoots},
		{"no endpoint for the issuer", &evidence.STSCall{Error: "the mock STS cannot be configured as given"}, retrievalRoots},
		{"another InvalidIdentityToken", &evidence.STSCall{ErrorCode: stsrules.CodeInvalidIdentityToken, Error: "Incorrect token audience"}, nil},
		{"access denied", &evidence.STSCall{ErrorCode: "AccessDenied", Error: "Not authorized to perform sts:AssumeRoleWithWebIdentity"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := &evidence.Target{STS: &evidence.STS{Assume: tt.call}}
			if got := rootOfRefusal(tg); !slices.Equal(got, tt.want) {
				t.Errorf("roots %v, want %v", got, tt.want)
			}
		})
	}
}
