package discovery

import (
	"encoding/json"
	"net/url"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// MaxIssuerLength is IAM's limit on a provider URL.
const MaxIssuerLength = 255

func judgeIssuerEquals(t *evidence.Target, doc map[string]json.RawMessage) check.Finding {
	iss, ok := stringMember(doc, "issuer")
	switch {
	case !ok:
		return check.Failf("the document has no issuer string")
	case iss != t.Input.Issuer:
		return check.Failf("issuer is %q, want %q byte for byte", iss, t.Input.Issuer)
	}
	return check.Pass("issuer %q", iss)
}

func judgeIssuerURL(t *evidence.Target) check.Finding {
	iss := t.Input.Issuer
	u, err := url.Parse(iss)
	switch {
	case err != nil:
		return check.Failf("issuer %q is not a URL: %v", iss, err)
	case u.Scheme != "https":
		return check.Failf("issuer %q: scheme %q, want https", iss, u.Scheme)
	case u.Host == "" || u.Hostname() == "":
		return check.Failf("issuer %q has no host", iss)
	case u.RawQuery != "" || u.ForceQuery:
		return check.Failf("issuer %q has a query", iss)
	case u.Fragment != "" || u.RawFragment != "" || u.OmitHost:
		return check.Failf("issuer %q has a fragment", iss)
	case u.User != nil:
		return check.Failf("issuer %q has userinfo", iss)
	case len(iss) > MaxIssuerLength:
		return check.Failf("issuer is %d characters, over IAM's %d", len(iss), MaxIssuerLength)
	}
	return check.Pass("https, host %s, no query or fragment, %d characters", u.Host, len(iss))
}

// judgeIssuerPort is DISC-014, IAM's SHOULD: it requires DISC-006, so the
// URL parses.
func judgeIssuerPort(t *evidence.Target) check.Finding {
	u, err := url.Parse(t.Input.Issuer)
	if err != nil {
		return check.Blocked("DISC-006")
	}
	if p := u.Port(); p != "" {
		return check.Warnf("issuer %q has port %s; IAM: the URL should not contain a port number", t.Input.Issuer, p)
	}
	return check.Pass("no port in the issuer URL")
}

func judgeJWKSURI(_ *evidence.Target, doc map[string]json.RawMessage) check.Finding {
	s, ok := stringMember(doc, "jwks_uri")
	if !ok || s == "" {
		return check.Failf("jwks_uri is missing or not a string")
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return check.Failf("jwks_uri %q is not a URL: %v", s, err)
	case !u.IsAbs() || u.Host == "":
		return check.Failf("jwks_uri %q is not an absolute URL", s)
	case u.Scheme != "https":
		return check.Failf("jwks_uri %q: scheme %q, want https", s, u.Scheme)
	}
	return check.Pass("jwks_uri %s", s)
}
