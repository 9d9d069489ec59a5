// Package partition knows AWS's partitions as web identity federation meets
// them: the ARN prefix of roles and OIDC providers, STS's endpoints, and the
// audience a token for that partition's STS carries.
package partition

import (
	"fmt"
	"regexp"
	"strings"
)

// Partition is one AWS partition.
type Partition struct {
	// ID is the ARN's partition field: "aws", "aws-cn" or "aws-us-gov".
	ID string
	// DNSSuffix ends its endpoints' host names.
	DNSSuffix string
	// Audience is the aud a web identity token for its STS carries by
	// default (configure-aws-credentials README: "sts.amazonaws.com.cn" for
	// the China regions).
	Audience string
	// RegionPrefix starts its regions' names ("" for aws: any other region).
	RegionPrefix string
	// Global is the endpoint that is not regional, "" when the partition has
	// none (the non-commercial partitions must use regional endpoints).
	Global string
}

// All returns the partitions, aws first.
func All() []Partition {
	return []Partition{
		{ID: "aws", DNSSuffix: "amazonaws.com", Audience: "sts.amazonaws.com", Global: "https://sts.amazonaws.com"},
		{ID: "aws-cn", DNSSuffix: "amazonaws.com.cn", Audience: "sts.amazonaws.com.cn", RegionPrefix: "cn-"},
		{ID: "aws-us-gov", DNSSuffix: "amazonaws.com", Audience: "sts.amazonaws.com", RegionPrefix: "us-gov-"},
	}
}

// Lookup returns the partition with ARN field id.
func Lookup(id string) (Partition, bool) {
	for _, p := range All() {
		if p.ID == id {
			return p, true
		}
	}
	return Partition{}, false
}

// ForRegion returns the partition of region: cn-* is aws-cn, us-gov-* is
// aws-us-gov, any other is aws.
func ForRegion(region string) Partition {
	all := All()
	for _, p := range all[1:] {
		if strings.HasPrefix(region, p.RegionPrefix) {
			return p
		}
	}
	return all[0]
}

// Endpoint returns STS's regional endpoint in region:
// https://sts.<region>.<DNSSuffix>.
func (p Partition) Endpoint(region string) string {
	return "https://sts." + region + "." + p.DNSSuffix
}

// rolePattern is an IAM role ARN of any partition:
// arn:<partition>:iam::<12 digits>:role/<path/>name.
var rolePattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}):role/(?:[\x21-\x7e]+/)?([\w+=,.@-]{1,64})$`)

// Role is a parsed IAM role ARN.
type Role struct {
	Partition Partition
	Account   string
	// Name is the role's name, without its path.
	Name string
}

// ParseRole parses an IAM role ARN of any partition.
func ParseRole(arn string) (Role, error) {
	m := rolePattern.FindStringSubmatch(arn)
	if m == nil {
		return Role{}, fmt.Errorf("%q is not arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:role/<name>", arn)
	}
	p, _ := Lookup(m[1])
	return Role{Partition: p, Account: m[2], Name: m[3]}, nil
}

// OfARN returns the partition of any ARN, aws when it names none known.
func OfARN(arn string) Partition {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) == 3 && parts[0] == "arn" {
		if p, ok := Lookup(parts[1]); ok {
			return p
		}
	}
	return All()[0]
}
