package claims

import (
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/suites/discovery"
)

// Length limits of STS's WebIdentityToken parameter.
const (
	MinTokenLength = 4
	MaxTokenLength = 20000
)

func judgeShape(t *evidence.Target) check.Finding {
	tok, skip := tokenOf(t)
	if skip != nil {
		return *skip
	}
	var problems []string
	if tok.Parts != 3 {
		problems = append(problems, fmt.Sprintf("%d dot-separated parts, want 3 (header.claims.signature)", tok.Parts))
	}
	switch {
	case tok.Length > MaxTokenLength:
		problems = append(problems, fmt.Sprintf("%d characters, over STS's limit of %d", tok.Length, MaxTokenLength))
	case tok.Length < MinTokenLength:
		problems = append(problems, fmt.Sprintf("%d characters, under STS's minimum of %d", tok.Length, MinTokenLength))
	}
	problems = append(problems, partProblem("header", tok.Header, tok.HeaderError)...)
	if tok.Parts >= 2 {
		problems = append(problems, partProblem("claims", tok.Claims, tok.ClaimsError)...)
	}
	// An empty signature is well formed (an unsecured JWS, RFC 7519 §6):
	// TOK-002 and TOK-004 judge it. Only an impossible length shows here;
	// the alphabet of the signature is not recorded, and a bad character
	// fails both verifiers (TOK-004).
	if n := tok.Signature.Length; tok.Parts == 3 && n%4 == 1 {
		problems = append(problems, fmt.Sprintf("the signature part is %d characters, a length base64url cannot have", n))
	}
	if len(problems) > 0 {
		return check.Failf("not a compact JWS STS accepts: %s", strings.Join(problems, "; "))
	}
	return check.Pass("compact JWS, 3 parts, %d characters, signature %d characters (sha256 %s...)",
		tok.Length, tok.Signature.Length, tok.Signature.SHA256)
}

// partProblem says why a decoded part is unusable, if it is.
func partProblem(name string, b []byte, decodeErr string) []string {
	if decodeErr != "" {
		return []string{decodeErr}
	}
	if _, err := parseObject(b); err != nil {
		return []string{fmt.Sprintf("the %s part is not a JSON object: %v", name, err)}
	}
	return nil
}

func judgeAlg(t *evidence.Target) check.Finding {
	h, skip := headerOf(t)
	if skip != nil {
		return *skip
	}
	alg, present, ok := h.str("alg")
	switch {
	case !present:
		return check.Failf("the header has no alg")
	case !ok:
		return check.Failf("the header's alg is not a string: %s", clip(h["alg"], 40))
	case strings.EqualFold(alg, "none"):
		return check.Failf("alg %q: the token is unsigned; STS accepts only %s", alg, strings.Join(discovery.STSAlgorithms, ", "))
	case strings.HasPrefix(strings.ToUpper(alg), "HS"):
		return check.Failf("alg %q is an HMAC (shared-secret) algorithm; STS verifies with the published public key and accepts only %s",
			alg, strings.Join(discovery.STSAlgorithms, ", "))
	}
	for _, a := range discovery.STSAlgorithms {
		if alg == a {
			return check.Pass("alg %s", alg)
		}
	}
	return check.Failf("alg %q is not one STS accepts (%s)", alg, strings.Join(discovery.STSAlgorithms, ", "))
}
