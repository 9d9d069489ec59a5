package claims

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Verifier names recorded by the probe (harness/token).
const (
	verifierJWX    = "jwx"
	verifierGoOIDC = "go-oidc"
)

// maxKidsShown caps the kids listed in a message.
const maxKidsShown = 5

// jwksKids returns the kids of the fetched JWKS, or a skip saying why there
// is no key set to look in.
func jwksKids(t *evidence.Target) ([]string, *check.Finding) {
	skip := func(format string, a ...any) ([]string, *check.Finding) {
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
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(h.Body, &set); err != nil || set.Keys == nil {
		return skip("the JWKS is not a key set (see JWKS-002)")
	}
	kids := make([]string, 0, len(set.Keys))
	for _, k := range set.Keys {
		var key struct {
			Kid string `json:"kid"`
		}
		if json.Unmarshal(k, &key) == nil && key.Kid != "" {
			kids = append(kids, key.Kid)
		}
	}
	return kids, nil
}

// tokenKid returns the header's kid, or the failure explaining why there is
// none; a skip when the header is unavailable.
func tokenKid(t *evidence.Target) (string, *check.Finding) {
	h, skip := headerOf(t)
	if skip != nil {
		return "", skip
	}
	kid, present, ok := h.str("kid")
	var f check.Finding
	switch {
	case !present:
		f = check.Failf("the header has no kid: STS selects the verification key by exact kid and answers " +
			"\"Couldn't retrieve verification key from your identity provider\"")
	case !ok:
		f = check.Failf("the header's kid is not a string: %s", clip(h["kid"], 40))
	case kid == "":
		f = check.Failf("the header's kid is empty: STS selects the verification key by exact kid")
	default:
		return kid, nil
	}
	return "", &f
}

func judgeKid(t *evidence.Target) check.Finding {
	kid, f := tokenKid(t)
	if f != nil {
		return *f
	}
	kids, skip := jwksKids(t)
	if skip != nil {
		return *skip
	}
	for _, k := range kids {
		if k == kid {
			return check.Pass("kid %q is published in the JWKS", kid)
		}
	}
	return check.Failf("kid %q is not in the JWKS (its kids: %s): STS answers \"Couldn't retrieve verification key from your identity provider\"",
		kid, listKids(kids))
}

// listKids formats kids for a message.
func listKids(kids []string) string {
	if len(kids) == 0 {
		return "none"
	}
	shown := kids
	if len(shown) > maxKidsShown {
		shown = shown[:maxKidsShown]
	}
	q := make([]string, len(shown))
	for i, k := range shown {
		q[i] = fmt.Sprintf("%q", k)
	}
	s := strings.Join(q, ", ")
	if len(kids) > len(shown) {
		s += fmt.Sprintf(" and %d more", len(kids)-len(shown))
	}
	return s
}

func judgeSignature(t *evidence.Target) check.Finding {
	tok, skip := tokenOf(t)
	if skip != nil {
		return *skip
	}
	if tok.Parts != 3 {
		return check.Skip("not a compact JWS (see TOK-001)")
	}
	kids, skip := jwksKids(t)
	if skip != nil {
		return *skip
	}
	kid, f := tokenKid(t)
	if f != nil {
		return check.Skip("no key is selected for the token (see TOK-003)")
	}
	found := false
	for _, k := range kids {
		found = found || k == kid
	}
	if !found {
		return check.Skip("no key is selected for the token (see TOK-003)")
	}
	jwx, okJWX := verification(tok, verifierJWX)
	oidc, okOIDC := verification(tok, verifierGoOIDC)
	switch {
	case !okJWX || !okOIDC:
		return check.Skip("the signature was not verified in the probe (no %s and %s verdicts recorded)", verifierJWX, verifierGoOIDC)
	case jwx.OverCap && oidc.OverCap:
		return check.Skip("the key with kid %q is over the key size cap and never used to verify (see JWKS-007)", kid)
	case jwx.Abandoned || oidc.Abandoned:
		// The run's budget ran out: not a verdict on the issuer, but not a
		// pass either.
		return check.Failf("not judged: %s", firstAbandoned(jwx, oidc))
	case jwx.OK && oidc.OK:
		return check.Pass("the signature verifies with kid %q, by jwx and by go-oidc", kid)
	case !jwx.OK && !oidc.OK:
		return check.Failf("the signature does not verify with kid %q: %s; %s", kid, describe(jwx), describe(oidc))
	}
	return check.Failf("the verifiers disagree, so one of them is wrong about this token: %s; %s", describe(jwx), describe(oidc))
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
