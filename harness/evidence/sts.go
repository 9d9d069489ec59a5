package evidence

import (
	"encoding/json"
	"time"
)

// IAM is what the run knows of the issuer's IAM registration: the OIDC
// provider (from --iam-provider, or the one the mock STS registers) and the
// role's trust policy.
type IAM struct {
	// ProviderSource says where the provider came from.
	ProviderSource string `json:"provider_source,omitempty"`
	// ProviderURL is the provider's URL as IAM stores it (without https://).
	ProviderURL string `json:"provider_url,omitempty"`
	// ProviderARN is the provider's ARN, when known.
	ProviderARN string `json:"provider_arn,omitempty"`
	// ClientIDs is the provider's client ID list (audiences).
	ClientIDs []string `json:"client_ids,omitempty"`
	// Thumbprints is the provider's thumbprint list.
	Thumbprints []string `json:"thumbprints,omitempty"`
	// RoleARN is the role to assume.
	RoleARN string `json:"role_arn,omitempty"`
	// TrustPolicy is the role's trust policy document, as given.
	TrustPolicy json.RawMessage `json:"trust_policy,omitempty"`
	// TrustPolicySource says where it came from ("--trust-policy FILE", or
	// "generated least-privilege policy").
	TrustPolicySource string `json:"trust_policy_source,omitempty"`
	// MaxSessionDuration is the role's MaxSessionDuration in seconds, when
	// the JSON of aws iam get-role gave it (0: unknown).
	MaxSessionDuration int `json:"max_session_duration,omitempty"`
}

// STS is the end-to-end exchange: AssumeRoleWithWebIdentity, then
// GetCallerIdentity signed with the credentials it returned. Credentials are
// never recorded.
type STS struct {
	// Mode is "mock", "aws" or "url".
	Mode string `json:"mode"`
	// Endpoint is the STS endpoint called.
	Endpoint    string `json:"endpoint"`
	RoleARN     string `json:"role_arn"`
	SessionName string `json:"session_name"`
	// DurationSeconds is the DurationSeconds asked for (0: STS's default, 1 h).
	DurationSeconds int `json:"duration_seconds,omitempty"`
	// Sources says where the role, session name, region and endpoint came
	// from (a flag, an AWS SDK environment variable, a default).
	Sources map[string]string `json:"sources,omitempty"`
	// Assume is the AssumeRoleWithWebIdentity call.
	Assume *STSCall `json:"assume,omitempty"`
	// CallerIdentity is the GetCallerIdentity call (nil when Assume failed).
	CallerIdentity *STSCall `json:"caller_identity,omitempty"`
	// Skipped says why no call was made.
	Skipped string `json:"skipped,omitempty"`
}

// STSCall is one STS call's outcome.
type STSCall struct {
	OK         bool     `json:"ok"`
	HTTPStatus int      `json:"http_status,omitempty"`
	RequestID  string   `json:"request_id,omitempty"`
	ErrorCode  string   `json:"error_code,omitempty"`
	Error      string   `json:"error,omitempty"`
	Elapsed    Duration `json:"elapsed"`
	// AssumeRoleWithWebIdentity results.
	SubjectFromWebIdentityToken string    `json:"subject,omitempty"`
	Audience                    string    `json:"audience,omitempty"`
	Provider                    string    `json:"provider,omitempty"`
	AssumedRoleARN              string    `json:"assumed_role_arn,omitempty"`
	AssumedRoleID               string    `json:"assumed_role_id,omitempty"`
	Expiration                  time.Time `json:"expiration,omitempty"`
	HasCredentials              bool      `json:"has_credentials,omitempty"`
	// GetCallerIdentity results.
	Arn     string `json:"arn,omitempty"`
	Account string `json:"account,omitempty"`
	UserID  string `json:"user_id,omitempty"`
}
