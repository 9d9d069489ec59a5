package azure

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/kubeuser"
)

// matched returns the credential the token's iss and sub select, or the
// finding that ends the judgement early (AZR-001 and AZR-002 judge the match).
func matched(t *evidence.Target) (FIC, kubeuser.Claims, *check.Finding) {
	c, claims, skip := judged(t)
	if skip != nil {
		return FIC{}, nil, skip
	}
	iss, _ := claims.String("iss")
	sub, _ := claims.String("sub")
	f, ok := bySubject(byIssuer(c.FICs, iss), sub)
	if !ok {
		s := check.Skip("no credential matches the token's iss and sub (see AZR-001, AZR-002)")
		return FIC{}, nil, &s
	}
	return f, claims, nil
}

// judgeIssuer is AZR-001: a credential's issuer is the token's iss, byte for
// byte, and iss has no surrounding whitespace.
func judgeIssuer(t *evidence.Target) check.Finding {
	c, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	iss, ok := claims.String("iss")
	switch {
	case !ok:
		return check.Failf("the token has no iss (or it is not a string): "+noIssuer, "")
	case strings.TrimSpace(iss) != iss:
		return check.Failf("iss %q has leading or trailing whitespace: Entra blocks the exchange", iss)
	}
	if len(byIssuer(c.FICs, iss)) == 0 {
		return check.Failf(noIssuer+": %s", iss, issuerMiss(c.FICs, iss, "the token's iss"))
	}
	return check.Pass("iss %q is a credential's issuer", iss)
}

// judgeSubject is AZR-002: among the credentials of the token's issuer, one
// has the token's sub as its subject, exactly.
func judgeSubject(t *evidence.Target) check.Finding {
	c, claims, skip := judged(t)
	if skip != nil {
		return *skip
	}
	iss, _ := claims.String("iss")
	sub, ok := claims.String("sub")
	of := byIssuer(c.FICs, iss)
	switch {
	case !ok:
		return check.Failf("the token has no sub (or it is not a string): "+noSubject, "")
	case len([]rune(sub)) > maxField:
		return check.Failf("sub is %d characters, over the %d a credential's subject holds: "+noSubject, len([]rune(sub)), maxField, sub)
	}
	f, ok := bySubject(of, sub)
	if !ok {
		return check.Failf("%s", subjectMiss(of, sub))
	}
	return check.Pass("sub %q is the subject of credential %s", sub, f.Name)
}

// judgeAudience is AZR-003: the matched credential's one audience is in aud.
func judgeAudience(t *evidence.Target) check.Finding {
	f, claims, skip := matched(t)
	if skip != nil {
		return *skip
	}
	want := f.Audiences[0]
	auds, err := audiences(claims)
	if err != nil {
		return check.Failf("%v: "+noAudience, err, "")
	}
	switch {
	case !slices.Contains(auds, want):
		return check.Failf(noAudience+" (credential %s has audience %q; matching is case-sensitive)", strings.Join(auds, ","), f.Name, want)
	case len(auds) > 1:
		return check.Warnf("aud %q holds the credential's audience %q among %d values: whether Entra accepts several audiences is unconfirmed", auds, want, len(auds))
	}
	return check.Pass("aud is the credential's audience %q", want)
}

// audiences reads aud as a string or an array of strings.
func audiences(c kubeuser.Claims) ([]string, error) {
	raw, ok := c["aud"]
	if !ok {
		return nil, fmt.Errorf("the token has no aud")
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if json.Unmarshal(raw, &many) != nil {
		return nil, fmt.Errorf("aud is neither a string nor an array of strings")
	}
	return many, nil
}

// judgeAlg is AZR-006: RS256 is supported; another asymmetric algorithm is
// untested by Microsoft (a warning). None, HMAC and a missing alg are
// TOK-012's, which it requires: Entra verifies with the issuer's public
// keys, as every relying party does.
func judgeAlg(t *evidence.Target) check.Finding {
	switch {
	case t.Token == nil:
		return check.Skip("no token given")
	case t.Token.Parts != 3:
		return check.Skip("the token is not a compact JWS of three parts (see TOK-001): Entra answers AADSTS50027 \"JWT token is invalid or malformed\"")
	}
	var h struct {
		Alg any `json:"alg"`
	}
	if json.Unmarshal(t.Token.Header, &h) != nil {
		return check.Skip("the header did not decode (see TOK-001)")
	}
	alg, _ := h.Alg.(string)
	if alg == "RS256" {
		return check.Pass("alg RS256")
	}
	return check.Warnf("alg %s: Entra supports only RS256; other algorithms may work but are untested by Microsoft (unconfirmed)", alg)
}
