package cli

import (
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/oidc-conformance/oidc-conformance/harness/partition"
)

// The AWS SDK's environment variables the run reads as a pod's SDK would.
const (
	envRoleARN          = "AWS_ROLE_ARN"
	envSessionName      = "AWS_ROLE_SESSION_NAME"
	envEndpointSTS      = "AWS_ENDPOINT_URL_STS"
	envEndpoint         = "AWS_ENDPOINT_URL"
	envRegionalSTS      = "AWS_STS_REGIONAL_ENDPOINTS"
	envWebIdentityToken = "AWS_WEB_IDENTITY_TOKEN_FILE"
	envContainerURI     = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	envContainerToken   = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
	// defaultSessionName is the RoleSessionName without --session-name or
	// AWS_ROLE_SESSION_NAME.
	defaultSessionName = "oidc-conformance"
)

// podDefaults fills the role, session name and STS of a run from the
// environment where the flags leave them unset, as the SDK's web identity
// provider reads them in an IRSA pod: the role from AWS_ROLE_ARN (then the
// exchange goes to real STS unless --sts says otherwise), the session name
// from AWS_ROLE_SESSION_NAME. It returns where each value came from.
func (o *RunOptions) podDefaults(getenv func(string) string) map[string]string {
	from := map[string]string{}
	switch {
	case o.RoleARN != "":
		from["role_arn"] = "--role-arn"
	case getenv(envRoleARN) != "" && o.Evidence == "":
		o.RoleARN = getenv(envRoleARN)
		from["role_arn"] = envRoleARN
		if o.STS == "" {
			o.STS = "aws"
			from["sts"] = envRoleARN + " without --sts: real STS, as the SDK in the pod"
		}
	}
	switch {
	case o.SessionName != "":
		from["session_name"] = "--session-name"
	case getenv(envSessionName) != "":
		o.SessionName = getenv(envSessionName)
		from["session_name"] = envSessionName
	default:
		o.SessionName = defaultSessionName
		from["session_name"] = "default"
	}
	if o.Region != "" {
		from["region"] = "--region or AWS_REGION"
	}
	return from
}

// sdkEndpoint is the STS endpoint the AWS SDK picks for region from the
// environment: AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL, then the global
// endpoint when AWS_STS_REGIONAL_ENDPOINTS is "legacy" (aws partition only;
// the other partitions have regional endpoints alone), else the partition's
// regional endpoint. It returns the endpoint and where it came from.
func sdkEndpoint(region string, getenv func(string) string) (string, string, error) {
	for _, name := range []string{envEndpointSTS, envEndpoint} {
		if v := getenv(name); v != "" {
			if u, err := url.Parse(v); err != nil || u.Scheme != "https" || u.Host == "" {
				return "", "", fmt.Errorf("%s %q: want an https:// URL", name, v)
			}
			return v, name, nil
		}
	}
	p := partition.ForRegion(region)
	if getenv(envRegionalSTS) == "legacy" && p.Global != "" {
		return p.Global, envRegionalSTS + "=legacy", nil
	}
	return p.Endpoint(region), "the regional endpoint of " + region + " (partition " + p.ID + ")", nil
}

// maxSessionDuration reads Role.MaxSessionDuration (seconds) from the JSON
// aws iam get-role prints; 0 when absent (a bare trust policy).
func maxSessionDuration(doc []byte) int {
	var r struct {
		Role struct {
			MaxSessionDuration int `json:"MaxSessionDuration"`
		} `json:"Role"`
	}
	if json.Unmarshal(doc, &r) != nil {
		return 0
	}
	return r.Role.MaxSessionDuration
}
