package webidentity

import "time"

// readClaims fills the identity from the token's claims, checking their
// types and that the required ones are present.
func (id *Identity) readClaims(tok *compact) *Error {
	exp, present, err := tok.claimTime("exp")
	if err != nil {
		return err
	}
	if !present {
		return invalid(msgMissingClaim + "exp")
	}
	id.Expires = time.Unix(exp, 0)
	iat, present, err := tok.claimTime("iat")
	if err != nil {
		return err
	}
	if !present {
		return invalid(msgMissingClaim + "iat")
	}
	id.IssuedAt = time.Unix(iat, 0)
	nbf, present, err := tok.claimTime("nbf")
	if err != nil {
		return err
	}
	if present {
		id.NotBefore = time.Unix(nbf, 0)
	}

	if id.Audiences, present, err = tok.claimList("aud"); err != nil {
		return err
	}
	if !present || len(id.Audiences) == 0 {
		return invalid(msgMissingClaim + "aud")
	}
	if id.Subject, present, err = tok.claimString("sub"); err != nil {
		return err
	}
	if !present || id.Subject == "" {
		return invalid(msgMissingClaim + "sub")
	}
	if id.AuthorizedParty, _, err = tok.claimString("azp"); err != nil {
		return err
	}
	if id.AMR, _, err = tok.claimList("amr"); err != nil {
		return err
	}
	return nil
}

// MaxSubjectLength is the longest sub STS accepts.
const MaxSubjectLength = 255

// checkClaims checks the audience against the provider's client IDs and the
// times against now.
func (id *Identity) checkClaims(p Provider, now time.Time) *Error {
	// STS answers the subject as SubjectFromWebIdentityToken, which is at
	// most 255 characters long (the API reference's constraint).
	if len(id.Subject) > MaxSubjectLength {
		return invalid("The sub claim is %d characters long; STS takes at most %d", len(id.Subject), MaxSubjectLength)
	}
	for _, aud := range id.Audiences {
		if p.HasClientID(aud) {
			id.Audience = aud
			break
		}
	}
	if id.Audience == "" {
		return invalid(MsgIncorrectAudience)
	}
	if CheckExpiry(id.Expires, now).Expired {
		return expired(now, id.Expires.Unix())
	}
	if id.IssuedAt.After(now.Add(FutureSkew)) {
		return invalid("The token was issued in the future: iat %d is after the current date/time %d", id.IssuedAt.Unix(), now.Unix())
	}
	if !id.NotBefore.IsZero() && id.NotBefore.After(now.Add(FutureSkew)) {
		return invalid("The token is not valid yet: nbf %d is after the current date/time %d", id.NotBefore.Unix(), now.Unix())
	}
	return nil
}
