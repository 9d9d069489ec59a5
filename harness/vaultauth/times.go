package vaultauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	josejwt "github.com/go-jose/go-jose/v4/jwt"
	capjwt "github.com/hashicorp/cap/jwt"
)

// ErrNoTimes is cap's answer to a token with none of iat, nbf and exp.
var ErrNoTimes = errors.New("no issued at (iat), not before (nbf), or expiration time (exp) claims in token")

// Leeways are a role's leeways as cap applies them: 0 is the default, a
// negative value none.
type Leeways struct {
	// ClockSkew widens the nbf, exp and iat checks (default 60 s).
	ClockSkew time.Duration
	// Expiration and NotBefore only make up a missing exp or nbf (default 150 s).
	Expiration, NotBefore time.Duration
}

// Leeways returns the role's leeways as the plugin hands them to cap.
func (r *Role) Leeways() Leeways {
	return Leeways{
		ClockSkew:  time.Duration(r.ClockSkewLeeway) * time.Second,
		Expiration: time.Duration(r.ExpirationLeeway) * time.Second,
		NotBefore:  time.Duration(r.NotBeforeLeeway) * time.Second,
	}
}

// effective is cap's reading of a leeway: negative none, 0 the default.
func effective(d, def time.Duration) time.Duration {
	switch {
	case d < 0:
		return 0
	case d == 0:
		return def
	}
	return d
}

// Skew is the clock skew cap allows.
func (l Leeways) Skew() time.Duration { return effective(l.ClockSkew, josejwt.DefaultLeeway) }

// Times judges the token's time claims at now as cap's validateAll does:
// go-jose decodes them (a number, truncated to seconds), none at all is
// ErrNoTimes, a missing exp is max(iat, nbf) + the expiration leeway, a
// missing nbf is iat or exp - the not-before leeway, and nbf, exp and iat
// are checked with the clock skew. The error is cap's text.
func (l Leeways) Times(claims json.RawMessage, now time.Time) error {
	var c josejwt.Claims
	if err := json.Unmarshal(claims, &c); err != nil {
		return err
	}
	if c.IssuedAt == nil && c.Expiry == nil && c.NotBefore == nil {
		return ErrNoTimes
	}
	def := time.Duration(capjwt.DefaultLeewaySeconds) * time.Second
	if c.Expiry == nil {
		var start josejwt.NumericDate
		switch {
		case c.IssuedAt != nil && c.NotBefore != nil:
			start = max(*c.IssuedAt, *c.NotBefore)
		case c.IssuedAt != nil:
			start = *c.IssuedAt
		default:
			start = *c.NotBefore
		}
		e := josejwt.NumericDate(int64(start) + int64(effective(l.Expiration, def).Seconds()))
		c.Expiry = &e
	}
	if c.NotBefore == nil {
		if c.IssuedAt != nil {
			c.NotBefore = c.IssuedAt
		} else {
			n := josejwt.NumericDate(int64(*c.Expiry) - int64(effective(l.NotBefore, def).Seconds()))
			c.NotBefore = &n
		}
	}
	skew := l.Skew()
	switch {
	case now.Add(skew).Before(c.NotBefore.Time()):
		return fmt.Errorf("invalid not before (nbf) claim: token not yet valid")
	case now.Add(-skew).After(c.Expiry.Time()):
		return fmt.Errorf("invalid expiration time (exp) claim: token is expired")
	case c.IssuedAt != nil && now.Add(skew).Before(c.IssuedAt.Time()):
		return fmt.Errorf("invalid issued at (iat) claim: token issued in the future")
	}
	return nil
}
