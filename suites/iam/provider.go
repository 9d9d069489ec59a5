package iam

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/suites/tls"
)

// IAM's limits on an OIDC provider.
const (
	MaxClientIDs   = 100
	MaxClientIDLen = 255
	MaxThumbprints = 5
)

var hex40 = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)

// noProvider returns a skip when the run has no provider.
func noProvider(t *evidence.Target) *check.Finding {
	if t.IAM == nil || t.IAM.ProviderURL == "" {
		f := check.Skip("no IAM OIDC provider given (--iam-provider FILE, or --role-arn with the mock STS)")
		return &f
	}
	return nil
}

func judgeProviderURL(t *evidence.Target) check.Finding {
	if skip := noProvider(t); skip != nil {
		return *skip
	}
	want := providerHost(t)
	got := t.IAM.ProviderURL
	if strings.HasPrefix(got, "https://") {
		got = strings.TrimPrefix(got, "https://") // IAM accepts it on creation and stores it without
	}
	switch {
	case got != want && strings.EqualFold(got, want):
		return check.Failf("provider URL %q differs from the issuer %q only in case; IAM matches iss exactly", got, want)
	case got != want && strings.TrimSuffix(got, "/") == strings.TrimSuffix(want, "/"):
		return check.Failf("provider URL %q and issuer %q differ by a trailing slash; IAM matches iss exactly", got, want)
	case got != want:
		return check.Failf("provider URL %q is not the issuer %q; STS will answer \"No OpenIDConnect provider found in your account for %s\"", got, want, t.Input.Issuer)
	}
	if arn := t.IAM.ProviderARN; arn != "" && !strings.HasSuffix(arn, ":oidc-provider/"+want) {
		return check.Failf("provider ARN %q does not end in :oidc-provider/%s", arn, want)
	}
	return check.Pass("provider %s matches the issuer", got)
}

func judgeClientIDs(t *evidence.Target) check.Finding {
	if skip := noProvider(t); skip != nil {
		return *skip
	}
	ids := t.IAM.ClientIDs
	if len(ids) == 0 || len(ids) > MaxClientIDs {
		return check.Failf("the provider has %d client IDs; IAM wants 1 to %d", len(ids), MaxClientIDs)
	}
	for _, id := range ids {
		if len(id) == 0 || len(id) > MaxClientIDLen {
			return check.Failf("client ID %q is %d characters; IAM wants 1 to %d", clip(id), len(id), MaxClientIDLen)
		}
	}
	auds := []string{t.Input.Audience}
	source := "expected audience"
	if claims, ok := tokenClaims(t); ok {
		auds, source = claims["aud"], "token's aud"
	}
	for _, a := range auds {
		if slices.Contains(ids, a) {
			return check.Pass("%s %q is a client ID", source, a)
		}
	}
	msg := fmt.Sprintf("none of the %s %q is among the client IDs [%s]; STS: \"Incorrect token audience\"", source, auds, strings.Join(ids, ", "))
	if stsrules.IsPodIdentityToken(auds) {
		msg += "; this is an EKS Pod Identity token: " + stsrules.PodIdentityAdvice
	}
	return check.Failf("%s", msg)
}

// judgeThumbprints is IAM-003: the registered provider's thumbprints are
// well formed (at most 5, 40 hex each; an empty list is allowed) and, where
// IAM uses them (tls.ThumbprintUse), include the jwks_uri host's. It
// requires TLS-005: when the --thumbprint given is already not the host's,
// that is the root, and the registration is not judged again.
func judgeThumbprints(t *evidence.Target) check.Finding {
	if skip := noProvider(t); skip != nil {
		return *skip
	}
	tps := t.IAM.Thumbprints
	if len(tps) > MaxThumbprints {
		return check.Failf("the provider has %d thumbprints; IAM keeps at most %d", len(tps), MaxThumbprints)
	}
	for _, tp := range tps {
		if !hex40.MatchString(tp) {
			return check.Failf("thumbprint %q is not 40 hex characters", clip(tp))
		}
	}
	var js *evidence.TLS
	if t.JWKS != nil && len(t.JWKS.Hops) > 0 {
		js = t.JWKS.Hops[0].TLS
	}
	if js == nil {
		return check.Pass("%d well-formed thumbprints (the jwks_uri host's chain was not observed)", len(tps))
	}
	seen := tls.Thumbprint(js.Chain)
	use := tls.ThumbprintUse(t, js)
	switch {
	case slices.ContainsFunc(tps, func(tp string) bool { return strings.EqualFold(tp, seen) }):
		return check.Pass("the provider's thumbprints include %s, the jwks_uri host's", seen)
	case !use.Used:
		return check.Pass("%d well-formed thumbprints, none the jwks_uri host's %s: %s", len(tps), seen, use.Reason)
	}
	return check.Failf("%s, and its thumbprint %s is not among the provider's [%s] (see TLS-004): STS: %q",
		use.Reason, seen, strings.Join(tps, ", "), stsrules.MsgThumbprint)
}

// clip shortens s for a message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
