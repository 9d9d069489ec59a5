package jwks

import (
	"bytes"
	"crypto"
	"crypto/sha1" //nolint:gosec // x5t is defined as SHA-1 (RFC 7517 §4.8)
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// publicKey is what every Go public key type implements.
type publicKey interface {
	Equal(x crypto.PublicKey) bool
}

func judgeX5C(t *evidence.Target, s *Set) check.Finding {
	var bad, notes []string
	n := 0
	for _, k := range s.Keys {
		_, hasX5C := k.Members["x5c"]
		_, hasT := k.Members["x5t"]
		_, hasT256 := k.Members["x5t#S256"]
		if !hasX5C && !hasT && !hasT256 {
			continue
		}
		n++
		if !hasX5C {
			notes = append(notes, fmt.Sprintf("%s has x5t without x5c (not verifiable here)", k.Name()))
			continue
		}
		p, note := x5cProblems(k)
		bad = append(bad, p...)
		if note != "" {
			notes = append(notes, note)
		}
	}
	switch {
	case len(bad) > 0:
		return check.Failf("%s", listed(bad))
	case n == 0:
		return check.Pass("no key carries x5c or x5t")
	case len(notes) > 0:
		return check.Pass("%s with certificates agree; %s", plural(n, "key"), listed(notes))
	}
	return check.Pass("%s with certificates: each certificate holds the same public key", plural(n, "key"))
}

// x5cProblems judges one key's x5c, x5t and x5t#S256 (RFC 7517 §4.7-4.9).
func x5cProblems(k *Key) (problems []string, note string) {
	var encoded []string
	if err := json.Unmarshal(k.Members["x5c"], &encoded); err != nil || len(encoded) == 0 {
		return nil, "" // JWKS-003 reports the shape
	}
	var certs []*x509.Certificate
	for i, e := range encoded {
		// x5c is base64 with padding, not base64url (RFC 7517 §4.7).
		der, err := base64.StdEncoding.Strict().DecodeString(e)
		if err != nil {
			return []string{fmt.Sprintf("%s: x5c[%d] is not base64 (standard alphabet, padded): %v", k.Name(), i, err)}, ""
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return []string{fmt.Sprintf("%s: x5c[%d] is not a certificate: %v", k.Name(), i, err)}, ""
		}
		certs = append(certs, c)
	}
	for i := 1; i < len(certs); i++ {
		if err := certs[i-1].CheckSignatureFrom(certs[i]); err != nil {
			problems = append(problems, fmt.Sprintf("%s: x5c[%d] did not sign x5c[%d] (RFC 7517 §4.7): %v", k.Name(), i, i-1, err))
		}
	}
	leaf := certs[0]
	switch pub, ok := k.Public.(publicKey); {
	case k.Public == nil:
		note = fmt.Sprintf("%s: the key itself did not parse, x5c not compared", k.Name())
	case !ok || !pub.Equal(leaf.PublicKey):
		problems = append(problems, fmt.Sprintf("%s: x5c[0] (subject %q) holds another public key", k.Name(), leaf.Subject.String()))
	}
	sha1Sum := sha1.Sum(leaf.Raw) //nolint:gosec // RFC 7517 §4.8
	sha256Sum := sha256.Sum256(leaf.Raw)
	for _, d := range []struct {
		name string
		sum  []byte
	}{{"x5t", sha1Sum[:]}, {"x5t#S256", sha256Sum[:]}} {
		v, ok := k.str(d.name)
		if !ok {
			continue
		}
		got, err := lenientBase64(v)
		if err != nil || !bytes.Equal(got, d.sum) {
			problems = append(problems, fmt.Sprintf("%s: %s does not match x5c[0]", k.Name(), d.name))
		}
	}
	return problems, note
}
