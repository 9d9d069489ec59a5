package cli

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// explanation is what STS would answer, and why.
type explanation struct {
	// Code is "" on success; Status and Message are STS's.
	Code, Message string
	Status        int
	// Why is the first rule that fails (or, on success, the statement that
	// allows); Rule is that rule and Checks the catalog IDs that judge it,
	// the root first.
	Why    string
	Rule   stsrules.RuleID
	Checks []string
	// caveats are the unconfirmed readings the model took to accept.
	caveats []stsrules.Caveat

	// identity is the verified token (nil when STS refuses it).
	identity    *stsrules.Identity
	providerARN string
	// leastPrivilege is the suggested trust policy when the policy refuses.
	leastPrivilege []byte
}

// succeeded reports whether STS would return credentials.
func (e *explanation) succeeded() bool { return e.Code == "" }

// assumedRoleARN is the AssumedRoleUser ARN of a success, in the role's
// partition.
func (in *explainInputs) assumedRoleARN() string {
	return "arn:" + in.partition.ID + ":sts::" + in.account + ":assumed-role/" + in.roleName + "/" + in.session
}

// judge runs the STS model (harness/stsrules) in STS's order: the token,
// its key and signature (unless no --jwks was given), then the trust
// policy. Every answer, and the checks it names, is the model's typed
// result.
func (in *explainInputs) judge(ctx context.Context) *explanation {
	v := &stsrules.Verifier{Keys: in.keys, Now: func() time.Time { return in.now }}
	if in.provider.URL != "" && !in.providerElsewhere() {
		v.Providers = []stsrules.Provider{in.provider}
	}
	var (
		id  *stsrules.Identity
		err error
	)
	if in.keys == nil {
		id, err = v.VerifyUnsigned(ctx, in.raw)
	} else {
		id, err = v.Verify(ctx, in.raw)
	}
	if err != nil {
		return in.refused(stsrules.AsError(err, stsrules.RuleKeySet))
	}
	arn := trust.ProviderARNIn(in.partition.ID, in.account, id.Provider.Host())
	d := in.policy.Evaluate(trust.Request{ProviderARN: arn, Claims: token.WithProviderClaims(id.ConditionValues(), in.observed)})
	if !d.Allowed {
		out := in.refused(stsrules.TrustRefusal(d.Statement, d.Reason))
		out.identity, out.providerARN = id, arn
		out.leastPrivilege = trust.LeastPrivilege(arn, id.Provider.Host(), id.Audience, id.Subject)
		return out
	}
	return &explanation{identity: id, providerARN: arn, Why: d.Reason, Status: http.StatusOK, caveats: id.Caveats}
}

// refused is the explanation of the model's refusal e: STS's answer, the
// rule's check and its related checks, and why in words.
func (in *explainInputs) refused(e *stsrules.Error) *explanation {
	r, _ := stsrules.Lookup(e.Rule)
	why := e.Reason()
	if w, ok := explainWhy[e.Rule]; ok {
		why = w(in, e)
	}
	return &explanation{Code: e.Code, Status: e.HTTPStatus, Message: e.Message, Why: why,
		Rule: e.Rule, Checks: append([]string{r.Check}, r.Related...)}
}

// explainWhy says, for the rules where the inputs say more than the
// model's cause, why in the user's terms.
var explainWhy = map[stsrules.RuleID]func(*explainInputs, *stsrules.Error) string{
	stsrules.RuleExpired:  func(in *explainInputs, _ *stsrules.Error) string { return in.whyExpired() },
	stsrules.RuleProvider: func(in *explainInputs, _ *stsrules.Error) string { return in.whyNoProvider() },
	stsrules.RuleKeyID: func(in *explainInputs, e *stsrules.Error) string {
		return fmt.Sprintf("%v; the keys given: %s", e.Cause, in.keysNote)
	},
	stsrules.RuleSignature: func(in *explainInputs, e *stsrules.Error) string {
		return fmt.Sprintf("%v (%s)", e.Cause, in.keysNote)
	},
	stsrules.RuleAudience: func(in *explainInputs, _ *stsrules.Error) string {
		aud, _ := explainClaims(in.claims(), "aud")
		if stsrules.IsPodIdentityToken(aud) {
			return fmt.Sprintf("this is an EKS Pod Identity token (aud %s), not one for STS (IAM-011): %s", stsrules.PodIdentityAudience, stsrules.PodIdentityAdvice)
		}
		return fmt.Sprintf("no aud value of the token (%s) is a client ID of the provider (%s); the match is exact, case included",
			explainQuote(aud), explainQuote(in.provider.ClientIDs))
	},
	stsrules.RuleNotYetValid: func(in *explainInputs, e *stsrules.Error) string {
		return fmt.Sprintf("%s; iat and nbf may be at most %v after now (%s)", e.Message, stsrules.FutureSkew, in.now.Format(time.RFC3339))
	},
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
			window = "; " + stsrules.ExpiryAt(time.Unix(secs, 0), in.now).String()
		}
	}
	return fmt.Sprintf("the token expired: %s plus IAM's %s window is not after now, %s (%s)%s",
		exp, stsrules.ExpiryWindow, in.now.UTC().Format(time.RFC3339), in.nowNote, window)
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
