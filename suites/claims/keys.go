package claims

import (
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// Verifier names recorded by the probe (harness/token).
const (
	verifierJWX    = "jwx"
	verifierGoOIDC = "go-oidc"
)

// maxKidsShown caps the kids listed in a message.
const maxKidsShown = 5

// JWKSKeys returns the keys of the fetched JWKS as the STS model reads them,
// or a skip saying why there is no key set to look in. A key set that is not
// one fails JWKS-002, which TOK-003 requires.
func JWKSKeys(t *evidence.Target) ([]stsrules.Key, *check.Finding) {
	skip := func(format string, a ...any) ([]stsrules.Key, *check.Finding) {
		f := check.Skip(format, a...)
		return nil, &f
	}
	if t.JWKS == nil {
		reason := t.JWKSSkipReason
		if reason == "" {
			reason = "not fetched"
		}
		return skip("the JWKS is unavailable: %s", reason)
	}
	h := t.JWKS.Final()
	if h == nil || h.Status != 200 || h.Truncated || t.JWKS.Err != "" {
		return skip("the JWKS is unavailable (see JWKS-001)")
	}
	keys, e := stsrules.ParseJWKS(h.Body)
	if e != nil {
		return skip("the JWKS is not a usable key set (see JWKS-002): %v", e.Cause)
	}
	return keys, nil
}

// judgeKid is TOK-003: STS's key-selection rule, a key published under the
// token's exact kid; a token without kid is the model's unconfirmed case.
func judgeKid(t *evidence.Target) check.Finding {
	tok, skip := decoded(t)
	if skip != nil {
		return *skip
	}
	h, e := tok.ReadHeader()
	if e != nil && e.Rule == stsrules.RuleCompactJWS {
		return check.Skip("the header did not decode (see TOK-001)")
	}
	if e != nil && e.Rule == stsrules.RuleKeyID {
		return check.Failf("%v: STS answers \"Couldn't retrieve verification key from your identity provider\"", e.Cause)
	}
	keys, skip := JWKSKeys(t)
	if skip != nil {
		return *skip
	}
	selected, e := stsrules.SelectKeys(keys, h)
	switch {
	case e != nil:
		return check.Failf("kid %q is not in the JWKS (its kids: %s): STS answers \"Couldn't retrieve verification key from your identity provider\"",
			h.Kid, listKids(keys))
	case !h.HasKid:
		return check.Warnf("%s", stsrules.KidCaveat(h))
	case len(selected) > 1:
		return check.Pass("kid %q is published in the JWKS, by %d keys (JWKS-005 judges the duplicate)", h.Kid, len(selected))
	}
	return check.Pass("kid %q is published in the JWKS", h.Kid)
}

// listKids formats the kids of keys for a message.
func listKids(keys []stsrules.Key) string {
	var kids []string
	for _, k := range keys {
		if k.HasID {
			kids = append(kids, fmt.Sprintf("%q", k.ID))
		}
	}
	if len(kids) == 0 {
		return "none"
	}
	shown := kids
	if len(shown) > maxKidsShown {
		shown = shown[:maxKidsShown]
	}
	s := strings.Join(shown, ", ")
	if len(kids) > len(shown) {
		s += fmt.Sprintf(" and %d more", len(kids)-len(shown))
	}
	return s
}

// judgeSignature is TOK-004: STS's signature rule, judged in the probe by
// the model with the selected key's public numbers alone (its size, use,
// alg and x5c are the JWKS checks'), and independently by go-oidc. When no
// key the token selects is usable, the key's own check is the root.
func judgeSignature(t *evidence.Target) check.Finding {
	if _, skip := decoded(t); skip != nil {
		return *skip
	}
	model, okModel := verification(t.Token, verifierJWX)
	oidc, okOIDC := verification(t.Token, verifierGoOIDC)
	if !okModel || !okOIDC {
		return check.Skip("the signature was not verified in the probe (no JWKS was fetched)")
	}
	if !model.OK && model.Rule != "" {
		if r, ok := stsrules.Lookup(stsrules.RuleID(model.Rule)); ok && r.Check != "TOK-004" {
			return check.Blocked(r.Check)
		}
	}
	switch {
	case model.Abandoned || oidc.Abandoned:
		// The run's budget ran out: not a verdict on the issuer, but not a
		// pass either.
		return check.Failf("not judged: %s", firstAbandoned(model, oidc))
	case model.OK && oidc.OK:
		key := model.Key
		if key == "" {
			key = "the key the token selects"
		}
		return check.Pass("the signature verifies with %s of the JWKS, by the STS model (jwx) and by go-oidc", key)
	case !model.OK && !oidc.OK:
		return check.Failf("the signature does not verify: %s; %s", describe(model), describe(oidc))
	}
	return check.Failf("the verifiers disagree, so one of them is wrong about this token: %s; %s", describe(model), describe(oidc))
}

// firstAbandoned is the message of the verdict that gave up.
func firstAbandoned(a, b evidence.Verification) string {
	if a.Abandoned {
		return a.Verifier + " " + a.Error
	}
	return b.Verifier + " " + b.Error
}

// verification returns the named verifier's verdict.
func verification(tok *evidence.Token, name string) (evidence.Verification, bool) {
	for _, v := range tok.Verifications {
		if v.Verifier == name {
			return v, true
		}
	}
	return evidence.Verification{}, false
}

// describe states one verdict.
func describe(v evidence.Verification) string {
	if v.OK {
		return v.Verifier + " accepts it"
	}
	return fmt.Sprintf("%s rejects it (%s)", v.Verifier, v.Error)
}
