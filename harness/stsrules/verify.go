package stsrules

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Verifier verifies web identity tokens against the IAM OIDC providers of an
// account. Its zero Now is time.Now. It is safe for concurrent use when its
// KeySource is.
type Verifier struct {
	// Providers are the account's IAM OIDC providers.
	Providers []Provider
	// Keys gives the providers' verification keys.
	Keys KeySource
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Identity is what a verified token tells STS.
type Identity struct {
	// Provider is the IAM provider the token's iss selected.
	Provider Provider
	// Issuer is the token's iss; Subject its sub.
	Issuer, Subject string
	// Audience is the first of the token's aud values that is one of the
	// provider's client IDs: STS's Audience and the token's :aud.
	Audience string
	// Audiences are all of the token's aud values, in order.
	Audiences []string
	// AuthorizedParty is the azp claim, "" when absent.
	AuthorizedParty string
	// AMR are the amr claim's values, nil when absent.
	AMR []string
	// Algorithm and KeyID are the header's alg and kid.
	Algorithm, KeyID string
	// IssuedAt and Expires are iat and exp; NotBefore is nbf, zero when absent.
	IssuedAt, Expires, NotBefore time.Time
	// Signer is the key that verified the signature (zero for VerifyUnsigned).
	Signer Signer
	// claims are the token's decoded claim set (ClaimSet).
	claims Claims
	// Caveats are the unconfirmed readings the model took to accept the
	// token (no kid, a sub long in bytes, a date in milliseconds, a key set
	// over IAM's documented key count).
	Caveats []Caveat
}

// Caveat is one unconfirmed reading the model took to accept a token: the
// catalog check that warns on it, and the warning.
type Caveat struct {
	Check, Text string
}

// String is the warning.
func (c Caveat) String() string { return c.Text }

// ClaimSet returns the token's decoded claims as the rules read them, for
// the trust policy's provider-specific keys and the session claims without
// decoding the token again. Read only: it is shared with the token.
func (id *Identity) ClaimSet() Claims { return id.claims }

// ConditionValues returns the values of the token's trust-policy condition
// keys <provider>:aud, :sub, :amr and :azp, keyed "aud", "sub", "amr" and
// "azp" (absent claims are left out), for trust.Request.Claims.
func (id *Identity) ConditionValues() map[string][]string {
	values := map[string][]string{
		"aud": id.Audiences,
		"sub": {id.Subject},
	}
	if len(id.AMR) > 0 {
		values["amr"] = id.AMR
	}
	if id.AuthorizedParty != "" {
		values["azp"] = []string{id.AuthorizedParty}
	}
	return values
}

// Verify verifies raw as STS does and returns its identity, or an *Error
// naming the rule that refused, with STS's code, message and status.
// Surrounding white space (a token file's final newline) is ignored. The
// rules apply in registry order: length, shape, iss and its provider, alg,
// the key by kid, the signature, the key's policy, the claims, the times.
func (v *Verifier) Verify(ctx context.Context, raw string) (*Identity, error) {
	id, err := v.verify(ctx, raw, true)
	if err != nil {
		return nil, err
	}
	return id, nil
}

// verify is Verify; signed false skips the key lookup and the signature
// check (VerifyUnsigned), and nothing else.
func (v *Verifier) verify(ctx context.Context, raw string, signed bool) (*Identity, *Error) {
	raw = strings.TrimSpace(raw)
	var sig SignatureCheck
	if signed {
		sig = func(ctx context.Context, p Provider, h Header) (Signer, *Error) { return v.signer(ctx, p, raw, h) }
	}
	return v.Judge(ctx, Decode(raw), sig)
}

// SignatureCheck finds the key of a token with header h issued by p's
// issuer and checks the signature and the key's policy: the raw token's
// (Verify), or what a run recorded of it (the STS suite judges a run's
// evidence with the same rules).
type SignatureCheck func(ctx context.Context, p Provider, h Header) (Signer, *Error)

// Judge applies every rule to tok in registry order, the signature through
// sig (nil skips it, as VerifyUnsigned does), and returns the identity or
// the refusal of the first rule that fails.
func (v *Verifier) Judge(ctx context.Context, tok *Token, sig SignatureCheck) (*Identity, *Error) {
	if err := tok.CheckLength(); err != nil {
		return nil, err
	}
	if err := tok.CheckShape(); err != nil {
		return nil, err
	}
	claims := ClaimsOf(tok)
	iss, err := claims.Issuer()
	if err != nil {
		return nil, err
	}
	p, err := v.provider(iss)
	if err != nil {
		return nil, err
	}
	h, err := tok.ReadHeader()
	if err != nil {
		return nil, err
	}
	if err := CheckAlgorithm(h.Alg); err != nil {
		return nil, err
	}
	id := &Identity{Provider: p, Issuer: iss, Algorithm: h.Alg, KeyID: h.Kid, claims: claims}
	if sig != nil {
		if id.Signer, err = sig(ctx, p, h); err != nil {
			return nil, err
		}
		id.Caveats = append(id.Caveats, id.Signer.caveats...)
		if c := KidCaveat(h); c != "" {
			id.Caveats = append(id.Caveats, Caveat{Check: "TOK-003", Text: c})
		}
	}
	if err := id.read(claims); err != nil {
		return nil, err
	}
	if err := id.check(v.now()); err != nil {
		return nil, err
	}
	return id, nil
}

// signer finds the key of the token and checks the signature and the key's
// policy. A kid absent from a cached set asks the source once more.
func (v *Verifier) signer(ctx context.Context, p Provider, raw string, h Header) (Signer, *Error) {
	keys, err := v.keys(ctx, p, false)
	if err != nil {
		return Signer{}, err
	}
	candidates, err := SelectKeys(keys, h)
	if err != nil && err.Rule == RuleKeyID {
		if keys, err = v.keys(ctx, p, true); err != nil {
			return Signer{}, err
		}
		candidates, err = SelectKeys(keys, h)
	}
	if err != nil {
		return Signer{}, err
	}
	s, err := CheckSignature(raw, h.Alg, candidates)
	if err != nil {
		return Signer{}, err
	}
	if err := KeyPolicy(s.Key, h.Alg); err != nil {
		return Signer{}, err
	}
	if c := KeyLimitCaveat(CountKeys(keys)); c != "" {
		s.caveats = append(s.caveats, Caveat{Check: "JWKS-010", Text: c})
	}
	return s, nil
}

// keys asks the source for the provider's keys; an empty set is RuleKeySet.
func (v *Verifier) keys(ctx context.Context, p Provider, fresh bool) ([]Key, *Error) {
	if v.Keys == nil {
		return nil, KeyNotRetrieved(RuleKeySet, errors.New("no key source"))
	}
	keys, err := v.Keys.Keys(ctx, p, fresh)
	if err != nil {
		return nil, AsError(err, RuleKeySet)
	}
	if len(keys) == 0 {
		return nil, KeyNotRetrieved(RuleKeySet, errors.New("the JWKS has no key"))
	}
	return keys, nil
}

// read fills the identity from the claims, in STS's order: the dates, aud, sub.
func (id *Identity) read(c Claims) *Error {
	times, err := c.ReadTimes()
	if err != nil {
		return err
	}
	id.IssuedAt, id.Expires, id.NotBefore = times.IssuedAt, times.Expires, times.NotBefore
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"exp", times.Expires}, {"iat", times.IssuedAt}, {"nbf", times.NotBefore}} {
		if !d.t.IsZero() {
			if c := DateCaveat(d.name, d.t.Unix()); c != "" {
				id.Caveats = append(id.Caveats, Caveat{Check: "TOK-008", Text: c})
			}
		}
	}
	if id.Audiences, err = c.Audiences(); err != nil {
		return err
	}
	if id.Subject, err = c.Subject(); err != nil {
		return err
	}
	if s := SubjectCaveat(id.Subject); s != "" {
		id.Caveats = append(id.Caveats, Caveat{Check: "TOK-007", Text: s})
	}
	id.AuthorizedParty, id.AMR = c.AuthorizedParty(), c.AMR()
	return nil
}

// check matches the audience to the provider's client IDs and the times to now.
func (id *Identity) check(now time.Time) *Error {
	var err *Error
	if id.Audience, err = MatchAudience(id.Audiences, id.Provider.ClientIDs); err != nil {
		return err
	}
	t := Times{IssuedAt: id.IssuedAt, Expires: id.Expires, NotBefore: id.NotBefore}
	if err := t.CheckExpiry(now); err != nil {
		return err
	}
	return t.CheckNotBefore(now)
}

// now is the verifier's clock.
func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// provider is RuleProvider: the provider whose issuer is exactly iss.
func (v *Verifier) provider(iss string) (Provider, *Error) {
	for _, p := range v.Providers {
		if p.IsIssuer(iss) {
			return p, nil
		}
	}
	return Provider{}, refuse(RuleProvider, msgNoProvider+iss, nil)
}

// MatchIssuer is RuleProvider against issuer URLs rather than providers:
// iss equals one of them byte for byte.
func MatchIssuer(iss string, issuers ...string) *Error {
	for _, want := range issuers {
		if iss == want {
			return nil
		}
	}
	return refuse(RuleProvider, msgNoProvider+iss, nil)
}
