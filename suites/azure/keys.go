package azure

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// storedKeys is how many signing keys Entra stores of a key set.
const storedKeys = 100

// keyNotFound is Entra's answer when the token's key is not among those it
// stored (Azure/azure-workload-identity#1232).
const keyNotFound = "AADSTS7000272: certificate with identifier %q used to sign the federated credential could not be found in the metadata of identity provider"

// signingKids returns the kid of each signing key of the fetched JWKS, in
// order (a key with use "enc" is not a signing key; a key without kid
// counts with kid ""), or the skip when there is no key set (JWKS-002).
func signingKids(t *evidence.Target) ([]*string, *check.Finding) {
	h := t.JWKS.Final()
	if h == nil || h.Status != 200 {
		f := check.Skip("the JWKS is unavailable (see JWKS-001)")
		return nil, &f
	}
	var set struct {
		Keys []struct {
			Kid *string `json:"kid"`
			Use string  `json:"use"`
		} `json:"keys"`
	}
	if json.Unmarshal(h.Body, &set) != nil {
		f := check.Skip("the JWKS is not a key set (see JWKS-002)")
		return nil, &f
	}
	var kids []*string
	for _, k := range set.Keys {
		if k.Use != "enc" {
			kids = append(kids, k.Kid)
		}
	}
	return kids, nil
}

// judgeKeyPosition is AZR-007: the key the token's kid names is one of the
// first 100 signing keys, the ones Entra stores.
func judgeKeyPosition(t *evidence.Target) check.Finding {
	if t.Token == nil {
		return check.Skip("no token given")
	}
	var h struct {
		Kid *string `json:"kid"`
	}
	if json.Unmarshal(t.Token.Header, &h) != nil {
		return check.Skip("the header did not decode (see TOK-001)")
	}
	kids, skip := signingKids(t)
	if skip != nil {
		return *skip
	}
	if h.Kid == nil {
		return check.Warnf("the token has no kid: how Entra picks a key without one is unconfirmed (it stores the first %d of the %d signing keys)", min(storedKeys, len(kids)), len(kids))
	}
	var at []int
	for i, k := range kids {
		if k != nil && *k == *h.Kid {
			at = append(at, i)
		}
	}
	switch {
	case len(at) == 0:
		return check.Failf("kid %q is not in the JWKS: "+keyNotFound, *h.Kid, *h.Kid)
	case at[0] >= storedKeys:
		return check.Failf("kid %q is signing key %d of %d: Entra stores only the first %d, so it answers "+keyNotFound, *h.Kid, at[0]+1, len(kids), storedKeys, *h.Kid)
	case len(at) > 1:
		return check.Warnf("kid %q names %d keys of the JWKS: which one Entra verifies with is unconfirmed", *h.Kid, len(at))
	case len(t.JWKS.Hops) > 1:
		return check.Warnf("kid %q is signing key %d of %d, but the key set is reached through a redirect: whether Entra follows it is unconfirmed", *h.Kid, at[0]+1, len(kids))
	}
	return check.Pass("kid %q is signing key %d of %d, among the first %d Entra stores", *h.Kid, at[0]+1, len(kids), storedKeys)
}

// judgeKeyCount is AZR-008: at most 100 signing keys published.
func judgeKeyCount(t *evidence.Target) check.Finding {
	kids, skip := signingKids(t)
	if skip != nil {
		return *skip
	}
	if len(kids) > storedKeys {
		return check.Warnf("%d signing keys: Entra stores only the first %d and says more \"may\" cause errors; a key published after the %dth is never seen", len(kids), storedKeys, storedKeys)
	}
	return check.Pass("%d signing keys, at most %d", len(kids), storedKeys)
}

// discovered returns the discovery document's issuer and jwks_uri, or the
// skip when it is not a JSON object (DISC-001, DISC-004).
func discovered(t *evidence.Target) (issuer, jwksURI string, skip *check.Finding) {
	h := t.Discovery.Final()
	var doc struct {
		Issuer  any `json:"issuer"`
		JWKSURI any `json:"jwks_uri"`
	}
	if h == nil || json.Unmarshal(h.Body, &doc) != nil {
		f := check.Skip("no discovery document (see DISC-001, DISC-004)")
		return "", "", &f
	}
	issuer, _ = doc.Issuer.(string)
	jwksURI, _ = doc.JWKSURI.(string)
	return issuer, jwksURI, nil
}

// judgeHTTPS is AZR-009: the credentials' issuers and the jwks_uri Entra
// fetches are https (unconfirmed).
func judgeHTTPS(t *evidence.Target) check.Finding {
	_, jwksURI, skip := discovered(t)
	if skip != nil {
		return *skip
	}
	c, err := credentialsOf(t.Input, "")
	if err != nil {
		return check.Skip("no federated identity credential: %v", err)
	}
	urls := []struct{ what, u string }{{"jwks_uri", jwksURI}}
	for _, f := range c.FICs {
		urls = append(urls, struct{ what, u string }{"credential " + f.Name + " issuer", f.Issuer})
	}
	for _, x := range urls {
		if u, err := url.Parse(strings.TrimSpace(x.u)); err != nil || u.Scheme != "https" {
			return check.Warnf("%s %q is not https: whether Entra fetches discovery or keys over plain http is unconfirmed (a failed fetch is AADSTS90061/50166)", x.what, x.u)
		}
	}
	return check.Pass("the credentials' issuers and jwks_uri %q are https", jwksURI)
}

// judgeDiscoveryIssuer is AZR-010: the discovery document's issuer is the
// issuer of the credential the token matches (AZR-001), or without a token
// a credential's issuer (unconfirmed: Entra does not say it compares them).
func judgeDiscoveryIssuer(t *evidence.Target) check.Finding {
	issuer, _, skip := discovered(t)
	if skip != nil {
		return *skip
	}
	c, err := credentialsOf(t.Input, "")
	if err != nil {
		return check.Skip("no federated identity credential: %v", err)
	}
	if _, claims, skip := judged(t); skip == nil {
		if iss, _ := claims.String("iss"); len(byIssuer(c.FICs, iss)) > 0 {
			c.FICs = byIssuer(c.FICs, iss)
		}
	}
	if len(byIssuer(c.FICs, issuer)) == 0 {
		return check.Warnf("discovery says issuer %q, which is no credential's issuer: %s; whether Entra compares them is unconfirmed", issuer, issuerMiss(c.FICs, issuer, "the discovery issuer"))
	}
	return check.Pass("discovery's issuer %q is a credential's issuer", issuer)
}
