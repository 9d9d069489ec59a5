package partition

import "testing"

func TestParseRole(t *testing.T) {
	tests := []struct {
		arn, partition, account, name string
		ok                            bool
	}{
		{"arn:aws:iam::111122223333:role/app", "aws", "111122223333", "app", true},
		{"arn:aws-cn:iam::111122223333:role/path/app", "aws-cn", "111122223333", "app", true},
		{"arn:aws-us-gov:iam::111122223333:role/app", "aws-us-gov", "111122223333", "app", true},
		{"arn:aws-iso:iam::111122223333:role/app", "", "", "", false},
		{"arn:aws:iam::1111:role/app", "", "", "", false},
	}
	for _, tt := range tests {
		r, err := ParseRole(tt.arn)
		if (err == nil) != tt.ok || r.Partition.ID != tt.partition || r.Account != tt.account || r.Name != tt.name {
			t.Errorf("ParseRole(%q) = %+v, %v", tt.arn, r, err)
		}
	}
}

func TestEndpoints(t *testing.T) {
	tests := []struct{ region, endpoint, audience string }{
		{"us-east-1", "https://sts.us-east-1.amazonaws.com", "sts.amazonaws.com"},
		{"cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn", "sts.amazonaws.com.cn"},
		{"us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com", "sts.amazonaws.com"},
	}
	for _, tt := range tests {
		p := ForRegion(tt.region)
		if got := p.Endpoint(tt.region); got != tt.endpoint || p.Audience != tt.audience {
			t.Errorf("%s: endpoint %s audience %s, want %s %s", tt.region, got, p.Audience, tt.endpoint, tt.audience)
		}
	}
	if OfARN("arn:aws-cn:iam::1:oidc-provider/x").ID != "aws-cn" || OfARN("nonsense").ID != "aws" {
		t.Error("OfARN")
	}
}
