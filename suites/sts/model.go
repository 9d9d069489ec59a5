package sts

import (
	"context"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/partition"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// modelAnswer is what the STS model (harness/stsrules), applied to this
// run's evidence, answers AssumeRoleWithWebIdentity: nil for credentials,
// else the refusal whose Check is the root that explains STS's answer. The
// provider is the IAM registration the run had, else the probed issuer with
// the expected audience; the key set and the signature verdict are the
// probe's; the clock is the probe's.
func modelAnswer(t *evidence.Target) *stsrules.Error {
	if t.Token == nil {
		return nil
	}
	p := stsrules.Provider{URL: trust.ProviderHost(t.Input.Issuer), ClientIDs: []string{t.Input.Audience}}
	if t.IAM != nil && t.IAM.ProviderURL != "" {
		p = stsrules.Provider{URL: t.IAM.ProviderURL, ClientIDs: t.IAM.ClientIDs, Thumbprints: t.IAM.Thumbprints}
	}
	if e := tlsAnswer(t); e != nil {
		return e
	}
	v := &stsrules.Verifier{Providers: []stsrules.Provider{p}, Now: t.ProbedAt.UTC}
	id, err := v.Judge(context.Background(), stsrules.FromEvidence(t.Token), recordedSignature(t))
	if err != nil {
		return err
	}
	if t.IAM == nil || len(t.IAM.TrustPolicy) == 0 || t.STS == nil {
		return nil
	}
	policy, perr := trust.Parse(t.IAM.TrustPolicy)
	if perr != nil {
		return stsrules.TrustRefusal(-1, perr.Error())
	}
	arn := trust.ProviderARNIn(partition.OfARN(t.STS.RoleARN).ID, accountOf(t.STS.RoleARN), t.Input.Issuer)
	req := trust.Request{ProviderARN: arn, Claims: token.WithProviderClaims(id.ConditionValues(), t.Token)}
	if d := policy.Evaluate(req); !d.Allowed {
		return stsrules.TrustRefusal(d.Statement, d.Reason)
	}
	sc, e := stsrules.ReadSessionClaims(t.Token.Claims)
	if e == nil {
		e = sc.SessionActions(func(action string) (bool, string) {
			req.Action = action
			d := policy.Evaluate(req)
			return d.Allowed, d.Reason
		})
	}
	return e
}

// recordedSignature is the model's signature check on the run's evidence:
// the probe's verdict, or, when the key set was not had, the rule of the
// document that failed, by the kind of the failure (never its text).
func recordedSignature(t *evidence.Target) stsrules.SignatureCheck {
	var model evidence.Verification
	ok := false
	for _, v := range t.Token.Verifications {
		if v.Verifier == "jwx" {
			model, ok = v, true
		}
	}
	rule, why := stsrules.RuleDiscovery, "the discovery document was not had"
	var jwks []byte
	switch d, j := t.Discovery.Final(), t.JWKS.Final(); {
	case t.Discovery == nil || d == nil:
		rule = fetchRule(t.Discovery, stsrules.RuleDiscovery)
	case d.Status >= 400:
		rule = stsrules.RuleDiscoveryError
	case t.JWKS == nil:
		rule, why = stsrules.RuleJWKSURI, "the JWKS was not fetched: "+t.JWKSSkipReason
	case j == nil || t.JWKS.Err != "":
		rule, why = fetchRule(t.JWKS, stsrules.RuleJWKS), "the JWKS was not had: "+t.JWKS.Err
	case j.Status >= 400:
		rule, why = stsrules.RuleJWKSError, "the JWKS answered an error status"
	default:
		jwks = j.Body
	}
	return stsrules.RecordedSignature(model, ok, jwks, rule, why)
}

// fetchRule is the rule a failed fetch breaks, by its kind: a timeout is
// STS's 5-second limit, a TLS failure the chain's; anything else the
// document's own rule.
func fetchRule(ex *evidence.Exchange, own stsrules.RuleID) stsrules.RuleID {
	if ex == nil {
		return own
	}
	switch ex.Failure {
	case evidence.FailTimeout:
		return stsrules.RuleDiscoverySlow
	case evidence.FailTLS:
		return stsrules.RuleTLS
	}
	return own
}

// explained says which check explains STS's answer, the model's root.
func explained(t *evidence.Target, a *evidence.STSCall) string {
	e, r := modelRule(t)
	switch {
	case e == nil && t.Token == nil:
		return ""
	case e == nil:
		return "; the STS model accepts this token, so no check explains STS's answer: compare the IAM registration and the trust policy STS has with the ones given"
	case e.Code != a.ErrorCode:
		return "; the STS model answers " + e.Code + " instead, under " + r.Check + " (" + r.Doc + ")"
	}
	return "; explained by the rule " + r.Check + " judges (STS's rule: " + r.Doc + ")"
}

// modelRule is the STS model's refusal of the target's exchange and the
// rule it breaks, with the check that judges the rule where the root is
// (the registration's check when the token side is right); nil: the model
// accepts.
func modelRule(t *evidence.Target) (*stsrules.Error, stsrules.Rule) {
	e := modelAnswer(t)
	if e == nil {
		return nil, stsrules.Rule{}
	}
	r, _ := stsrules.Lookup(e.Rule)
	if len(r.Related) > 0 && !tokenSideWrong(t, e.Rule) {
		r.Check = r.Related[0] // the token is right: the registration is the root
	}
	return e, r
}

// retrievalRoots are the checks whose failure keeps STS from registering
// the issuer or retrieving its keys (the model judges the token on the
// recorded documents; these judge the documents' retrieval themselves).
var retrievalRoots = []string{"DISC-001", "DISC-004", "DISC-005", "DISC-006", "DISC-007", "DISC-015",
	"TLS-001", "TLS-002", "TLS-006", "TLS-008", "JWKS-001", "JWKS-002"}

// rootOfRefusal is STS-001's RootOf: when STS refused, the check that
// explains it: the model's rule when the model refuses with the code STS
// answered, else, when the model accepts the token, a failure to serve the
// documents STS retrieves. STS-001 fails on its own when none failed.
func rootOfRefusal(t *evidence.Target) []string {
	if t.STS == nil || t.STS.Assume == nil || t.STS.Assume.OK {
		return nil
	}
	switch e, r := modelRule(t); {
	case e == nil && retrievalRefusal(t.STS.Assume):
		return retrievalRoots
	case e != nil && e.Code == t.STS.Assume.ErrorCode:
		return []string{r.Check}
	}
	return nil
}

// retrievalRefusal reports whether STS's refusal is one a failure to serve
// the discovery document or the keys explains: "Couldn't retrieve
// verification key", IDPCommunicationError, or an endpoint that could not
// be set up for the issuer at all (no STS code: the mock refusing the
// issuer's registration). AccessDenied and the rest are never explained so.
func retrievalRefusal(a *evidence.STSCall) bool {
	switch a.ErrorCode {
	case "":
		return true
	case stsrules.CodeIDPCommunicationError:
		return true
	case stsrules.CodeInvalidIdentityToken:
		return strings.HasPrefix(a.Error, stsrules.MsgKeyNotRetrieved)
	}
	return false
}

// tokenSideWrong reports, for a rule judged on both sides (the token and
// the IAM registration), whether the token breaks it against the probed
// issuer and expected audience (TOK-005, TOK-006) rather than the
// registration (IAM-001, IAM-002).
func tokenSideWrong(t *evidence.Target, rule stsrules.RuleID) bool {
	c := stsrules.ClaimsOf(stsrules.FromEvidence(t.Token))
	switch rule {
	case stsrules.RuleProvider:
		iss, err := c.Issuer()
		return err != nil || stsrules.MatchIssuer(iss, t.Input.Issuer) != nil
	case stsrules.RuleThumbprint:
		// TLS-005 judges --thumbprint; IAM-003 the registered provider's.
		js := firstTLS(t.JWKS)
		if js == nil || len(js.Chain) == 0 {
			return true
		}
		tp := stsrules.Thumbprint(js.Chain[len(js.Chain)-1])
		return !slices.ContainsFunc(t.Input.Thumbprints, func(r string) bool { return strings.EqualFold(r, tp) })
	case stsrules.RuleAudience:
		auds, err := c.Audiences()
		if err != nil {
			return true
		}
		_, e := stsrules.MatchAudience(auds, []string{t.Input.Audience})
		return e != nil
	}
	return true
}
