package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// printExplanation writes explain's report: the token as far as it can be
// shown, the inputs and where each came from, then STS's answer and why.
// It never writes the token or its signature.
func printExplanation(w io.Writer, in *explainInputs, v *explanation) error {
	p := &explainPrinter{w: w}
	tok := in.observed
	p.linef("Token (%s, %d characters; the signature, %d characters, is not shown)", in.source, tok.Length, tok.Signature.Length)
	p.part("header", tok.Header, tok.HeaderError)
	p.part("claims", tok.Claims, tok.ClaimsError)
	p.linef("")
	p.linef("Inputs")
	provider := "none (the token has no iss to synthesize it from)"
	if tok.Undecoded {
		provider = "none (the token was not decoded: no iss to synthesize it from)"
	}
	if in.provider.URL != "" {
		provider = fmt.Sprintf("%s, client IDs %s", in.provider.Host(), explainQuote(in.provider.ClientIDs))
	}
	p.field("provider", provider+"; "+in.providerNote)
	p.field("account", in.account+"; "+in.accountNote)
	p.field("role", in.roleARN+"; "+in.roleNote)
	p.field("session", in.session)
	p.field("trust", in.policyFile)
	p.field("keys", in.keysNote)
	p.field("now", in.now.UTC().Format("2006-01-02T15:04:05Z")+"; "+in.nowNote)
	p.linef("")
	if v.succeeded() {
		p.linef("STS would answer: success (HTTP %d)", v.Status)
		p.field("AssumedRoleUser.Arn", in.assumedRoleARN())
		p.field("SubjectFromWebIdentityToken", v.identity.Subject)
		p.field("Audience", v.identity.Audience)
		p.field("Provider", v.providerARN)
		p.field("why", v.Why)
		if in.keys != nil {
			p.field("signed by", v.identity.Signer.Describe())
		}
		for _, c := range v.caveats {
			p.field("warning", c.Text+" ("+c.Check+" warns)")
		}
		if e := stsrules.ExpiryAt(v.identity.Expires, in.now); e.InWindow {
			p.field("expiry", "the token "+e.String())
		}
		if in.keys == nil {
			p.field("note", "signature not checked (no --jwks): STS would also refuse a token whose kid or signature is wrong")
		}
		p.field("note", tlsNote())
		return p.err
	}
	p.linef("STS would refuse: %s (HTTP %d)", v.Code, v.Status)
	p.field("message", v.Message)
	p.field("why", v.Why)
	if len(v.Checks) > 0 {
		p.field("checks", strings.Join(v.Checks, ", "))
	}
	if v.leastPrivilege != nil {
		p.linef("")
		p.linef("A least-privilege trust policy that allows this token (aud %q, sub %q):", v.identity.Audience, v.identity.Subject)
		p.write(v.leastPrivilege)
	}
	return p.err
}

// tlsNote says that explain judges no certificate chain, and the model's
// thumbprint rule run judges it by (stsrules.RuleThumbprint, TLS-005).
func tlsNote() string {
	r, _ := stsrules.Lookup(stsrules.RuleThumbprint)
	return "TLS not judged (explain fetches nothing): " + r.Doc + " (" + r.Check + "; run judges it, and a chain trusted only through --ca-file, a private CA, is not publicly trusted)"
}

// explainPrinter writes lines, keeping the first error.
type explainPrinter struct {
	w   io.Writer
	err error
}

// write writes b unless an earlier write failed.
func (p *explainPrinter) write(b []byte) {
	if p.err == nil {
		_, p.err = p.w.Write(b)
	}
}

// linef writes one formatted line.
func (p *explainPrinter) linef(format string, args ...any) {
	p.write([]byte(fmt.Sprintf(format, args...) + "\n"))
}

// field writes an indented "name: value" line.
func (p *explainPrinter) field(name, value string) {
	p.linef("  %s: %s", name, value)
}

// part writes a decoded token part, indented, or why it does not decode.
func (p *explainPrinter) part(name string, doc json.RawMessage, problem string) {
	if problem != "" {
		p.field(name, "cannot be shown: "+problem)
		return
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, doc, "    ", "  "); err != nil {
		p.field(name, "cannot be shown: "+err.Error())
		return
	}
	p.linef("  %s:", name)
	p.linef("    %s", buf.String())
}
