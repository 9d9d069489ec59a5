package discovery

import (
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Latency limits of DISC-012: STS gives up on an identity provider with a
// "latency of more than 5 seconds".
const (
	SlowAnswer    = 1 * time.Second
	TooSlowForSTS = 5 * time.Second
)

func judgeServed(t *evidence.Target) check.Finding {
	ex := t.Discovery
	h := ex.Final()
	switch {
	case h == nil:
		return check.Failf("GET %s: %s", ex.URL, ex.Err)
	case h.Truncated && h.Status == 200:
		return check.Pass("answered 200 (the body is over the cap: DISC-004)")
	case h.Status != 200:
		msg := fmt.Sprintf("GET %s answered %d, want 200", h.URL, h.Status)
		if ex.Err != "" {
			msg += ": " + ex.Err
		}
		return check.Failf("%s", msg)
	case ex.Err != "":
		return check.Failf("GET %s: %s", ex.URL, ex.Err)
	}
	return check.Pass("GET %s answered 200", h.URL)
}

func judgeNoRedirect(t *evidence.Target, _ *evidence.Hop) check.Finding {
	ex := t.Discovery
	if len(ex.Hops) == 1 {
		return check.Pass("answered without a redirect")
	}
	var b strings.Builder
	for i, h := range ex.Hops {
		if i > 0 {
			b.WriteString(" -> ")
		}
		fmt.Fprintf(&b, "%s (%d)", h.URL, h.Status)
	}
	return check.Warnf("redirected %d times: %s", len(ex.Hops)-1, b.String())
}

func judgeContentType(_ *evidence.Target, h *evidence.Hop) check.Finding {
	ct := firstHeader(h.Header, "Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return check.Warnf("Content-Type is %q, want application/json", ct)
	}
	return check.Pass("Content-Type %s", ct)
}

func judgeJSONObject(_ *evidence.Target, h *evidence.Hop) check.Finding {
	if h.Truncated {
		return check.Failf("the body is larger than the %d-byte cap", len(h.Body))
	}
	if _, err := ParseObject(h.Body); err != nil {
		return check.Failf("%v (body starts %q)", err, clip(h.Body, 60))
	}
	return check.Pass("one JSON object, %d bytes", len(h.Body))
}

// judgeLatency is DISC-012: a SHOULD, one second. An answer over STS's limit
// is DISC-015's failure, which this check requires.
func judgeLatency(t *evidence.Target, _ *evidence.Hop) check.Finding {
	d := time.Duration(t.Discovery.Elapsed)
	switch {
	case d > TooSlowForSTS:
		return check.Blocked("DISC-015")
	case d > SlowAnswer:
		return check.Warnf("took %s, over 1 s (STS gives up after 5 s)", d.Round(time.Millisecond))
	}
	return check.Pass("answered in %s", d.Round(time.Millisecond))
}

// judgeSTSLatency is DISC-015: STS gives up on an identity provider slower
// than 5 seconds. No answer at all is DISC-001's failure.
func judgeSTSLatency(t *evidence.Target, _ *evidence.Hop) check.Finding {
	d := time.Duration(t.Discovery.Elapsed)
	if d > TooSlowForSTS {
		return check.Failf("took %s, over STS's 5 s limit: STS answers \"Couldn't retrieve verification key\"", d.Round(time.Millisecond))
	}
	return check.Pass("answered in %s, within STS's 5 s", d.Round(time.Millisecond))
}

func firstHeader(h map[string][]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
