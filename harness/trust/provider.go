package trust

import (
	"bytes"
	"encoding/json"
	"strings"
)

// oidcProviderMarker separates the account from the provider in an OIDC
// provider ARN.
const oidcProviderMarker = ":oidc-provider/"

// ProviderHost returns the IAM form of an issuer URL: without https://, as
// IAM stores the provider URL and as condition keys are prefixed.
func ProviderHost(issuer string) string {
	return strings.TrimPrefix(issuer, "https://")
}

// ProviderARN returns the ARN of the IAM OIDC provider for issuer (with or
// without https://) in account of the aws partition:
// arn:aws:iam::<account>:oidc-provider/<host>.
func ProviderARN(account, issuer string) string { return ProviderARNIn("aws", account, issuer) }

// ProviderARNIn is ProviderARN in the partition with ARN field partition
// ("aws", "aws-cn", "aws-us-gov").
func ProviderARNIn(partition, account, issuer string) string {
	return "arn:" + partition + ":iam::" + account + oidcProviderMarker + ProviderHost(issuer)
}

// ProviderHostOf returns the provider part of an OIDC provider ARN (the
// issuer without https://), or "" when arn is not one.
func ProviderHostOf(arn string) string {
	if !strings.HasPrefix(arn, "arn:") {
		return ""
	}
	_, host, ok := strings.Cut(arn, oidcProviderMarker)
	if !ok {
		return ""
	}
	return host
}

// LeastPrivilege returns the trust policy the harness suggests: an Allow of
// sts:AssumeRoleWithWebIdentity for the provider, with StringEquals on
// <providerHost>:aud and <providerHost>:sub. It is indented JSON ending in a
// newline.
func LeastPrivilege(providerARN, providerHost, aud, sub string) []byte {
	type principal struct {
		Federated string `json:"Federated"`
	}
	type statement struct {
		Effect    string                       `json:"Effect"`
		Principal principal                    `json:"Principal"`
		Action    string                       `json:"Action"`
		Condition map[string]map[string]string `json:"Condition"`
	}
	doc := struct {
		Version   string      `json:"Version"`
		Statement []statement `json:"Statement"`
	}{
		Version: Version2012,
		Statement: []statement{{
			Effect:    string(Allow),
			Principal: principal{Federated: providerARN},
			Action:    ActionAssumeRoleWithWebIdentity,
			Condition: map[string]map[string]string{StringEquals: {
				ProviderHost(providerHost) + ":aud": aud,
				ProviderHost(providerHost) + ":sub": sub,
			}},
		}},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil { // only strings: cannot happen
		panic("trust: encode least-privilege policy: " + err.Error())
	}
	return buf.Bytes()
}
