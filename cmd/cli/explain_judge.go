package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
	"github.com/oidc-conformance/oidc-conformance/harness/webidentity"
)

// STS's answers explain writes besides webidentity's (CHECKS.md).
const (
	explainAccessDenied    = "AccessDenied"
	explainNotAuthorized   = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
	explainValidationError = "ValidationError"
	// STS's bounds on WebIdentityToken.
	explainMinToken, explainMaxToken = 4, 20000
)

// explanation is what STS would answer, and why.
type explanation struct {
	// Code is "" on success; Status and Message are STS's.
	Code, Message string
	Status        int
	// Why is the first rule that fails (or, on success, the statement that
	// allows); Checks are the catalog IDs that judge that rule.
	Why    string
	Checks []string

	// identity is the verified token (nil when STS refuses it).
	identity    *webidentity.Identity
	providerARN string
	// leastPrivilege is the suggested trust policy when the policy refuses.
	leastPrivilege []byte
}

// succeeded reports whether STS would return credentials.
func (e *explanation) succeeded() bool { return e.Code == "" }

// assumedRoleARN is the AssumedRoleUser ARN of a success.
func (in *explainInputs) assumedRoleARN() string {
	partition := "aws"
	if p := strings.SplitN(in.roleARN, ":", 3); len(p) == 3 {
		partition = p[1]
	}
	return "arn:" + partition + ":sts::" + in.account + ":assumed-role/" + in.roleName + "/" + in.session
}

// judge runs STS's checks in STS's order: the token's length, the token
// (webidentity), then the trust policy.
func (in *explainInputs) judge(ctx context.Context) *explanation {
	if n := utf8.RuneCountInString(in.raw); n < explainMinToken || n > explainMaxToken {
		bound := fmt.Sprintf("greater than or equal to %d", explainMinToken)
		if n > explainMaxToken {
			bound = fmt.Sprintf("less than or equal to %d", explainMaxToken)
		}
		return &explanation{Code: explainValidationError, Status: http.StatusBadRequest,
			Message: "1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'webIdentityToken' failed to satisfy constraint: Member must have length " + bound,
			Why:     fmt.Sprintf("the token has %d characters; STS takes %d..%d", n, explainMinToken, explainMaxToken),
			Checks:  []string{"TOK-001"}}
	}
	v := &webidentity.Verifier{Keys: in.keys, Now: func() time.Time { return in.now }}
	if in.provider.URL != "" && !in.providerElsewhere() {
		v.Providers = []webidentity.Provider{in.provider}
	}
	var (
		id  *webidentity.Identity
		err error
	)
	if in.keys == nil {
		id, err = v.VerifyUnsigned(ctx, in.raw)
	} else {
		id, err = v.Verify(ctx, in.raw)
	}
	if err != nil {
		var e *webidentity.Error
		if !errors.As(err, &e) { // Verify returns only *Error; be safe
			e = &webidentity.Error{Code: webidentity.CodeInvalidIdentityToken, Message: err.Error(), HTTPStatus: http.StatusBadRequest}
		}
		why, checks := in.whyRefused(e)
		return &explanation{Code: e.Code, Status: e.HTTPStatus, Message: e.Message, Why: why, Checks: checks}
	}
	arn := id.Provider.ARN(in.account)
	d := in.policy.Evaluate(trust.Request{ProviderARN: arn, Claims: token.WithProviderClaims(id.ConditionValues(), in.observed)})
	out := &explanation{identity: id, providerARN: arn, Why: d.Reason}
	if !d.Allowed {
		out.Code, out.Status, out.Message = explainAccessDenied, http.StatusForbidden, explainNotAuthorized
		out.Checks = []string{"IAM-004", "IAM-005", "IAM-007"}
		out.leastPrivilege = trust.LeastPrivilege(arn, id.Provider.Host(), id.Audience, id.Subject)
		return out
	}
	out.Status = http.StatusOK
	return out
}

// whyRefused explains a token refusal: the cause when there is one, else
// what the token and the inputs show; and the checks that judge it.
func (in *explainInputs) whyRefused(e *webidentity.Error) (string, []string) {
	claims := in.claims()
	m := e.Message
	switch {
	case e.Code == webidentity.CodeExpiredToken:
		return in.whyExpired(), []string{"TOK-009"}
	case strings.HasPrefix(m, "No OpenIDConnect provider found"):
		return in.whyNoProvider(), []string{"IAM-001", "TOK-005"}
	case m == webidentity.MsgKeyNotRetrieved:
		return fmt.Sprintf("%v; the keys given: %s", e.Cause, in.keysNote), []string{"TOK-003", "ROT-005", "JWKS-004"}
	case m == webidentity.MsgIncorrectAudience:
		aud, _ := explainClaims(claims, "aud")
		why := fmt.Sprintf("no aud value of the token (%s) is a client ID of the provider (%s); the match is exact, case included",
			explainQuote(aud), explainQuote(in.provider.ClientIDs))
		if webidentity.IsPodIdentityToken(aud) {
			why = fmt.Sprintf("this is an EKS Pod Identity token (aud %s), not one for STS: %s", webidentity.PodIdentityAudience, webidentity.PodIdentityAdvice)
		}
		return why, []string{"TOK-006", "IAM-002", "IAM-011"}
	case strings.HasPrefix(m, "Missing a required claim: "):
		name := strings.TrimPrefix(m, "Missing a required claim: ")
		return fmt.Sprintf("the token has no %s claim, or it is null or empty", name), explainClaimChecks[name]
	case strings.HasPrefix(m, "Unsupported token signing algorithm"):
		return "STS verifies RS256, RS384, RS512, ES256, ES384 and ES512 only; never none, never HS* (a shared secret)", []string{"TOK-002"}
	case m == "The token signature is invalid":
		return fmt.Sprintf("%v (%s)", e.Cause, in.keysNote), []string{"TOK-004"}
	case strings.Contains(m, "of the key with its kid") || strings.HasPrefix(m, "The key with the token's kid"):
		return "the key published under the token's kid is not one for the token's alg", []string{"TOK-002", "JWKS-008"}
	case strings.Contains(m, "must be an integer number of seconds"):
		return "STS wants exp, iat and nbf as JSON integers (seconds), not strings or fractions", []string{"TOK-008"}
	case strings.Contains(m, "issued in the future") || strings.Contains(m, "not valid yet"):
		return fmt.Sprintf("iat and nbf may be at most %v after now (%s)", webidentity.FutureSkew, in.now.Format(time.RFC3339)), []string{"TOK-009"}
	case strings.HasPrefix(m, "The token's ") && strings.Contains(m, " claim "):
		return "a claim STS reads has the wrong JSON type", []string{"TOK-005", "TOK-006", "TOK-007"}
	case strings.HasPrefix(m, "The token"):
		return "the token is not a compact JWS STS can read (header.payload.signature, unpadded base64url, JSON objects)", []string{"TOK-001"}
	}
	if e.Cause != nil {
		return e.Cause.Error(), nil
	}
	return m, nil
}

// explainClaimChecks are the checks that judge each required claim.
var explainClaimChecks = map[string][]string{
	"iss": {"TOK-005"}, "aud": {"TOK-006"}, "sub": {"TOK-007"}, "exp": {"TOK-008"}, "iat": {"TOK-008"},
}

// whyNoProvider explains "No OpenIDConnect provider found".
func (in *explainInputs) whyNoProvider() string {
	iss, _ := explainClaims(in.claims(), "iss")
	got := explainQuote(iss)
	if len(iss) == 1 {
		got = fmt.Sprintf("%q", iss[0])
	}
	switch {
	case in.providerElsewhere():
		return fmt.Sprintf("the provider is registered in account %s (the ARN in --iam-provider) but the role is in account %s; STS looks the provider up in the role's account",
			in.providerAccount, in.account)
	case len(iss) == 1 && !strings.HasPrefix(iss[0], "https://"):
		return fmt.Sprintf("the token's iss %s is not an https URL; IAM registers https issuers only", got)
	case in.provider.URL == "":
		return fmt.Sprintf("no provider to match the token's iss %s", got)
	}
	return fmt.Sprintf("the token's iss %s is not the provider's issuer %q (%s); IAM compares them exactly: scheme, case, port and trailing slash",
		got, in.provider.Issuer(), in.providerNote)
}

// providerElsewhere reports whether the --iam-provider JSON places the
// provider in another account than the role's.
func (in *explainInputs) providerElsewhere() bool {
	return in.providerAccount != "" && in.providerAccount != in.account
}

// whyExpired explains ExpiredTokenException in readable times.
func (in *explainInputs) whyExpired() string {
	exp, window := "its exp", ""
	if raw, ok := in.claims()["exp"]; ok {
		if secs, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			exp = fmt.Sprintf("exp %s", time.Unix(secs, 0).UTC().Format(time.RFC3339))
			window = "; " + webidentity.CheckExpiry(time.Unix(secs, 0), in.now).String()
		}
	}
	return fmt.Sprintf("the token expired: %s plus IAM's %s window is not after now, %s (%s)%s",
		exp, webidentity.ExpiryWindow, in.now.UTC().Format(time.RFC3339), in.nowNote, window)
}

// explainQuote quotes each value: ["a", "b"], or "none".
func explainQuote(values []string) string {
	if len(values) == 0 {
		return "none"
	}
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
