package stsrules

import (
	"fmt"
	"time"
)

// ExpiryWindow is how long after exp IAM still accepts a token: "IAM
// provides a five-minute window beyond the expiration time specified in the
// JWT to account for clock skew" (IAM User Guide, id_roles_providers_oidc).
const ExpiryWindow = 5 * time.Minute

// Expiry is STS's expiry rule applied to one token at one time.
type Expiry struct {
	// Expired is true when now is past exp plus ExpiryWindow: STS answers
	// ExpiredTokenException.
	Expired bool
	// InWindow is true when exp has passed but the window has not: STS
	// still accepts the token, for Left more.
	InWindow bool
	// Since is how long ago exp was (zero or negative before it); Left is
	// what remains of the window while InWindow.
	Since, Left time.Duration
}

// ExpiryAt applies the expiry rule (RuleExpired): a token is refused once now is at
// exp + ExpiryWindow or later, accepted before (inside the window too).
func ExpiryAt(exp, now time.Time) Expiry {
	since := now.Sub(exp)
	switch {
	case since >= ExpiryWindow:
		return Expiry{Expired: true, Since: since}
	case since >= 0:
		return Expiry{InWindow: true, Since: since, Left: ExpiryWindow - since}
	}
	return Expiry{Since: since}
}

// String says what the verdict means, e.g. "expired 2m10s ago: STS still
// accepts it for 2m50s".
func (e Expiry) String() string {
	switch {
	case e.Expired:
		return fmt.Sprintf("expired %s ago, beyond IAM's %s window after exp", e.Since.Round(time.Second), ExpiryWindow)
	case e.InWindow:
		return fmt.Sprintf("expired %s ago: STS still accepts it for %s (IAM's %s window after exp)",
			e.Since.Round(time.Second), e.Left.Round(time.Second), ExpiryWindow)
	}
	return fmt.Sprintf("expires in %s", (-e.Since).Round(time.Second))
}
