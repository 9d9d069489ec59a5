package probe

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/partition"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
)

// STSJob says how to run the end-to-end exchange (STS-001..003).
type STSJob struct {
	// Mode is "mock", "aws" or "url", as recorded.
	Mode string
	// Endpoint is the STS endpoint; "" means AWS's regional endpoint.
	Endpoint string
	// Region is the signing region (and the regional endpoint's).
	Region string
	// RoleARN, SessionName and DurationSeconds (0: not sent) are
	// AssumeRoleWithWebIdentity's parameters.
	RoleARN, SessionName string
	DurationSeconds      int
	// Sources says where the parameters came from, for the report.
	Sources map[string]string
	// HTTPClient makes the calls; it must bound every request.
	HTTPClient *http.Client
	// Refused, when set, says why the exchange could not be set up (the
	// mock STS refused the provider or the trust policy); no call is made
	// and STS-001 fails with it.
	Refused string
}

// AssumeRole exchanges raw for credentials with AssumeRoleWithWebIdentity
// (anonymously, as the SDKs do), then proves them with GetCallerIdentity.
// SDK retries are off, so an error is reported once. The credentials and the
// token are never recorded.
func AssumeRole(ctx context.Context, j STSJob, raw string) *evidence.STS {
	out := &evidence.STS{Mode: j.Mode, Endpoint: j.Endpoint, RoleARN: j.RoleARN, SessionName: j.SessionName,
		DurationSeconds: j.DurationSeconds, Sources: j.Sources}
	if out.Endpoint == "" {
		out.Endpoint = partition.ForRegion(j.Region).Endpoint(j.Region)
	}
	if raw == "" {
		out.Skipped = "no token to exchange (--token-file, --token, --token-cmd or AWS_WEB_IDENTITY_TOKEN_FILE)"
		return out
	}
	if j.Refused != "" {
		out.Assume = &evidence.STSCall{Error: j.Refused}
		return out
	}
	opts := func(creds aws.CredentialsProvider) sts.Options {
		o := sts.Options{Region: j.Region, HTTPClient: j.HTTPClient, RetryMaxAttempts: 1, Credentials: creds}
		if j.Endpoint != "" {
			o.BaseEndpoint = aws.String(j.Endpoint)
		}
		return o
	}
	start := time.Now()
	in := &sts.AssumeRoleWithWebIdentityInput{
		RoleArn: aws.String(j.RoleARN), RoleSessionName: aws.String(j.SessionName), WebIdentityToken: aws.String(raw),
	}
	if j.DurationSeconds > 0 {
		in.DurationSeconds = aws.Int32(int32(j.DurationSeconds))
	}
	res, err := sts.New(opts(nil)).AssumeRoleWithWebIdentity(ctx, in)
	out.Assume = call(err, start, raw)
	if err != nil {
		return out
	}
	a := out.Assume
	a.SubjectFromWebIdentityToken = aws.ToString(res.SubjectFromWebIdentityToken)
	a.Audience = aws.ToString(res.Audience)
	a.Provider = aws.ToString(res.Provider)
	if u := res.AssumedRoleUser; u != nil {
		a.AssumedRoleARN, a.AssumedRoleID = aws.ToString(u.Arn), aws.ToString(u.AssumedRoleId)
	}
	c := res.Credentials
	if c == nil || aws.ToString(c.AccessKeyId) == "" || aws.ToString(c.SecretAccessKey) == "" || aws.ToString(c.SessionToken) == "" {
		a.OK, a.Error = false, "the answer carries no complete credentials"
		return out
	}
	a.HasCredentials = true
	a.Expiration = aws.ToTime(c.Expiration)
	creds := credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	start = time.Now()
	who, err := sts.New(opts(creds)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	out.CallerIdentity = call(err, start, raw)
	if err == nil {
		out.CallerIdentity.Arn = aws.ToString(who.Arn)
		out.CallerIdentity.Account = aws.ToString(who.Account)
		out.CallerIdentity.UserID = aws.ToString(who.UserId)
	}
	return out
}

// call records an STS call's outcome: STS's code, message, status and
// request ID on an error. An endpoint's words are scrubbed of the token: an
// STS-compatible endpoint may echo what it was sent.
func call(err error, start time.Time, raw string) *evidence.STSCall {
	c := &evidence.STSCall{OK: err == nil, Elapsed: evidence.Duration(time.Since(start))}
	if err == nil {
		return c
	}
	c.Error = err.Error()
	var api smithy.APIError
	if errors.As(err, &api) {
		c.ErrorCode, c.Error = api.ErrorCode(), api.ErrorMessage()
	}
	c.Error, c.ErrorCode = token.Scrub(c.Error, raw), token.Scrub(c.ErrorCode, raw)
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		c.HTTPStatus, c.RequestID = re.HTTPStatusCode(), re.ServiceRequestID()
	}
	return c
}
