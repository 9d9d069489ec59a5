package sigv4

import (
	"encoding/hex"
	"strings"
)

// Algorithm is the only signing algorithm accepted.
const Algorithm = "AWS4-HMAC-SHA256"

// scopeTerminator ends every credential scope.
const scopeTerminator = "aws4_request"

// Authorization is a parsed SigV4 Authorization header.
type Authorization struct {
	// Scope is the Credential part.
	Scope Scope
	// SignedHeaders are the lower-case names of the signed headers, in order.
	SignedHeaders []string
	// Signature is the hex signature.
	Signature string
}

// Scope is a credential scope: AKID/date/region/service/aws4_request.
type Scope struct {
	AccessKeyID string
	// Date is YYYYMMDD.
	Date    string
	Region  string
	Service string
}

// ParseAuthorization parses an Authorization header of the form
// "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=<64 hex>". Errors are *Error of
// KindMissing (empty header) or KindIncomplete.
func ParseAuthorization(header string) (*Authorization, error) {
	if strings.TrimSpace(header) == "" {
		return nil, fail(KindMissing, msgMissing)
	}
	alg, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	if alg != Algorithm {
		return nil, fail(KindIncomplete, "Unsupported AWS 'algorithm': '%s'", clip(alg, 32))
	}
	parts := map[string]string{}
	for _, p := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok {
			parts[k] = v
		}
	}
	var missing []string
	for _, name := range []string{"Credential", "SignedHeaders", "Signature"} {
		if parts[name] == "" {
			missing = append(missing, "Authorization header requires '"+name+"' parameter.")
		}
	}
	if len(missing) > 0 {
		return nil, fail(KindIncomplete, "%s", strings.Join(missing, " "))
	}
	a := &Authorization{SignedHeaders: strings.Split(parts["SignedHeaders"], ";"), Signature: parts["Signature"]}
	cred := strings.Split(parts["Credential"], "/")
	if len(cred) != 5 || cred[0] == "" || len(cred[1]) != 8 || cred[2] == "" || cred[3] == "" {
		return nil, fail(KindIncomplete, "Credential must have exactly 5 slash-delimited elements, "+
			"e.g. keyid/date/region/service/term, got '%s'", clip(parts["Credential"], 128))
	}
	if cred[4] != scopeTerminator {
		return nil, fail(KindIncomplete, "Credential should be scoped with a valid terminator: '%s', not '%s'.",
			scopeTerminator, clip(cred[4], 32))
	}
	a.Scope = Scope{AccessKeyID: cred[0], Date: cred[1], Region: cred[2], Service: cred[3]}
	if b, err := hex.DecodeString(a.Signature); err != nil || len(b) != 32 {
		return nil, fail(KindIncomplete, "Signature must be 64 hexadecimal characters.")
	}
	for _, h := range a.SignedHeaders {
		if h == "" || h != strings.ToLower(h) {
			return nil, fail(KindIncomplete, "SignedHeaders must be lower-case names separated by ';'.")
		}
	}
	return a, nil
}

// clip shortens s to at most n bytes for a message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
