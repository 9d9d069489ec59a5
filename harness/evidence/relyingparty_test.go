package evidence

import "testing"

// TestParty: recorded relying parties are asked for; an older evidence file
// asks for the relying party of its profile.
func TestParty(t *testing.T) {
	for _, tt := range []struct {
		in   Input
		name string
		want bool
	}{
		{Input{Profile: "aws"}, "aws-sts", true},
		{Input{Profile: "kubernetes"}, "kubernetes-jwt", true},
		{Input{Profile: "kubernetes"}, "aws-sts", false},
		{Input{}, "aws-sts", true},
		{Input{Profile: "aws", RelyingParties: []RelyingParty{{Name: "eks-oidc-login"}}}, "aws-sts", false},
		{Input{Profile: "aws", RelyingParties: []RelyingParty{{Name: "eks-oidc-login"}}}, "eks-oidc-login", true},
	} {
		if _, got := tt.in.Party(tt.name); got != tt.want {
			t.Errorf("%+v asks for %s: %v, want %v", tt.in, tt.name, got, tt.want)
		}
	}
}
