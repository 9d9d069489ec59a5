package jwks

import (
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// MediaTypes are the Content-Types a key set may be served with (RFC 7517
// §8.5.1 registers application/jwk-set+json; kube-apiserver serves it).
var MediaTypes = []string{"application/json", "application/jwk-set+json"}

// judgeServed is JWKS-001: a complete 200 answer at the jwks_uri itself. It
// requires DISC-007: without a usable jwks_uri nothing was fetched.
func judgeServed(t *evidence.Target) check.Finding {
	ex := t.JWKS
	if ex == nil {
		return check.Blocked("DISC-007")
	}
	h := ex.Final()
	switch {
	case h == nil:
		return check.Failf("GET %s: %s", ex.URL, ex.Err)
	case len(ex.Hops) > 1 && ex.Err != "":
		return check.Failf("redirected %d times: %s; %s", len(ex.Hops)-1, chain(ex), ex.Err)
	case len(ex.Hops) > 1:
		return check.Failf("redirected %d times: %s; serve the key set at the jwks_uri itself (STS's redirect handling is undocumented)",
			len(ex.Hops)-1, chain(ex))
	case h.Truncated:
		return check.Failf("the body is larger than the %d-byte cap", len(h.Body))
	case h.Status != 200 && ex.Err != "":
		return check.Failf("GET %s answered %d, want 200: %s", h.URL, h.Status, ex.Err)
	case h.Status != 200:
		return check.Failf("GET %s answered %d, want 200", h.URL, h.Status)
	case ex.Err != "":
		return check.Failf("GET %s: %s", ex.URL, ex.Err)
	}
	return check.Pass("GET %s answered 200, %d bytes", h.URL, len(h.Body))
}

// judgeContentType is JWKS-013: the media type of the answer, wherever a
// redirect led.
func judgeContentType(_ *evidence.Target, h *evidence.Hop) check.Finding {
	ct := strings.Join(headerValues(h.Header, "Content-Type"), ", ")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != MediaTypes[0] && mt != MediaTypes[1]) {
		return check.Warnf("Content-Type %q, want application/json or application/jwk-set+json", ct)
	}
	return check.Pass("Content-Type %s", ct)
}

// chain describes the hops of a redirected fetch.
func chain(ex *evidence.Exchange) string {
	var b strings.Builder
	for i, h := range ex.Hops {
		if i > 0 {
			b.WriteString(" -> ")
		}
		fmt.Fprintf(&b, "%s (%d)", h.URL, h.Status)
	}
	return b.String()
}

func judgeSet(t *evidence.Target, h *evidence.Hop) check.Finding {
	s, err := Parse(h.Body)
	if err != nil {
		return check.Failf("%s%s", strings.TrimPrefix(err.Error(), "jwks: "), preview(h.Body))
	}
	return check.Pass("a JWK Set of %s", plural(s.Total, "key"))
}

// MaxAge returns the max-age of a response's Cache-Control header; ok is
// false when there is none (or it is not a number). The parsing is
// stsrules.MaxAge's, which the mock STS's key cache shares.
func MaxAge(h *evidence.Hop) (d time.Duration, ok bool) {
	if h == nil {
		return 0, false
	}
	return stsrules.MaxAge(strings.Join(headerValues(h.Header, "Cache-Control"), ", "))
}

func judgeCacheControl(t *evidence.Target, h *evidence.Hop) check.Finding {
	cc := strings.Join(headerValues(h.Header, "Cache-Control"), ", ")
	age, ok := MaxAge(h)
	switch {
	case !ok && cc == "":
		return check.Warnf("no Cache-Control header; EKS serves max-age=604800, kube-apiserver max-age=3600")
	case !ok:
		return check.Warnf("Cache-Control %q has no usable max-age", cc)
	case age == 0:
		return check.Warnf("Cache-Control %q: max-age=0 makes every verifier refetch the keys", cc)
	}
	return check.Pass("Cache-Control %q (%s)", cc, age)
}
