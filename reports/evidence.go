package reports

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// maxShownBody caps each document body the HTML report shows.
const maxShownBody = 64 << 10

// TargetEvidence is what a person reading the HTML report wants to see of
// what was observed: the documents (pretty-printed), the TLS chains, the
// timings, and for a rotation watch the timeline of key IDs. It is taken
// from the evidence at judging time, so the evidence itself can be dropped.
type TargetEvidence struct {
	Documents []Document
	Chains    []Chain
	Timeline  *Timeline
}

// Document is one fetched document.
type Document struct {
	Label, URL string
	Status     int
	Elapsed    time.Duration
	Body       string
	Truncated  bool
	Err        string
}

// Chain is one TLS handshake's certificate chain.
type Chain struct {
	Host, Version       string
	Verified            bool
	VerifyError         string
	Certs               []Cert
	PubliclyTrusted     bool
	ServerName, Subject string
}

// Cert is one certificate of a chain, as a person reads it.
type Cert struct {
	Subject, Issuer string
	NotBefore       time.Time
	NotAfter        time.Time
}

// Timeline is which key IDs a watch saw published, poll by poll.
type Timeline struct {
	Start, End time.Time
	Polls      []time.Time
	Keys       []KeySpan
}

// KeySpan is one key ID and the polls (indexes into Timeline.Polls) that
// published it.
type KeySpan struct {
	Kid  string
	Seen []int
}

// SummarizeEvidence returns the parts of t the HTML report shows.
func SummarizeEvidence(t *evidence.Target) *TargetEvidence {
	if t == nil {
		return nil
	}
	e := &TargetEvidence{}
	for _, d := range []struct {
		label string
		ex    *evidence.Exchange
	}{{"discovery", t.Discovery}, {"JWKS", t.JWKS}} {
		if d.ex == nil {
			continue
		}
		doc := Document{Label: d.label, URL: d.ex.URL, Elapsed: time.Duration(d.ex.Elapsed), Err: d.ex.Err}
		if h := d.ex.Final(); h != nil {
			doc.Status, doc.Body, doc.Truncated = h.Status, pretty(h.Body), h.Truncated
			if len(doc.Body) > maxShownBody {
				doc.Body, doc.Truncated = doc.Body[:maxShownBody], true
			}
			if h.TLS != nil && !slices.ContainsFunc(e.Chains, func(c Chain) bool { return c.Host == h.TLS.Host }) {
				e.Chains = append(e.Chains, chainOf(h.TLS))
			}
		}
		e.Documents = append(e.Documents, doc)
	}
	e.Timeline = timelineOf(t.Polls)
	if len(e.Documents) == 0 && e.Timeline == nil {
		return nil
	}
	return e
}

// pretty indents a JSON body, with long base64url values (a key's modulus)
// shortened for reading; anything else is shown as it came.
//
// A body nested more than maxPrettyDepth deep is shown as it came: indenting
// costs the depth squared (100,000 levels would be gigabytes), and no
// discovery document or key set is nested so.
func pretty(b []byte) string {
	var out bytes.Buffer
	if nesting(b) > maxPrettyDepth || json.Indent(&out, b, "", "  ") != nil {
		return string(b)
	}
	return longValue.ReplaceAllStringFunc(out.String(), func(m string) string {
		v := m[1 : len(m)-1]
		return fmt.Sprintf("%q", fmt.Sprintf("%s… (%d characters)", v[:16], len(v)))
	})
}

// maxPrettyDepth is the deepest body pretty indents.
const maxPrettyDepth = 32

// nesting is the deepest nesting of arrays and objects in b, outside
// strings, found in one pass.
func nesting(b []byte) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			if depth++; depth > deepest {
				deepest = depth
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// longValue is a JSON string of 64 or more base64url characters.
var longValue = regexp.MustCompile(`"[A-Za-z0-9_-]{64,}"`)

// chainOf describes a recorded handshake.
func chainOf(t *evidence.TLS) Chain {
	c := Chain{Host: t.Host, ServerName: t.ServerName, Version: t.Version, Verified: t.Verified, VerifyError: t.VerifyError, PubliclyTrusted: t.PubliclyTrusted}
	for _, der := range t.Chain {
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			c.Certs = append(c.Certs, Cert{Subject: "(unparseable certificate: " + err.Error() + ")"})
			continue
		}
		c.Certs = append(c.Certs, Cert{Subject: cert.Subject.String(), Issuer: cert.Issuer.String(), NotBefore: cert.NotBefore, NotAfter: cert.NotAfter})
	}
	return c
}

// timelineOf is the kid timeline of a watch, or nil without one.
func timelineOf(polls []evidence.Poll) *Timeline {
	if len(polls) == 0 {
		return nil
	}
	tl := &Timeline{Start: polls[0].At, End: polls[len(polls)-1].At}
	index := map[string]int{}
	for i, p := range polls {
		tl.Polls = append(tl.Polls, p.At)
		h := p.JWKS.Final()
		if h == nil || h.Status != 200 {
			continue
		}
		var set struct {
			Keys []struct {
				Kid string `json:"kid"`
			} `json:"keys"`
		}
		if json.Unmarshal(h.Body, &set) != nil {
			continue
		}
		for _, k := range set.Keys {
			j, ok := index[k.Kid]
			if !ok {
				j = len(tl.Keys)
				index[k.Kid] = j
				tl.Keys = append(tl.Keys, KeySpan{Kid: k.Kid})
			}
			if s := tl.Keys[j].Seen; len(s) == 0 || s[len(s)-1] != i {
				tl.Keys[j].Seen = append(s, i)
			}
		}
	}
	slices.SortStableFunc(tl.Keys, func(a, b KeySpan) int { return a.Seen[0] - b.Seen[0] })
	return tl
}
