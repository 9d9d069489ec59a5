package evidence

import (
	"encoding/json"
	"fmt"
	"time"
)

// Token is what was observed of the web identity token: never the token
// itself nor its signature, only the decoded header and claims, the
// signature's length and a short hash, and the verdicts of the verifications
// done in the probe phase (they need the whole token, which is not kept).
type Token struct {
	// Source says where the token came from, e.g. "--token-file /path".
	Source string `json:"source"`
	// Length is the token's length in characters.
	Length int `json:"length"`
	// Parts is the number of dot-separated parts.
	Parts int `json:"parts"`
	// Header and Claims are the decoded JSON of the first two parts, as the
	// issuer wrote them (nil when a part does not decode).
	Header json.RawMessage `json:"header,omitempty"`
	Claims json.RawMessage `json:"claims,omitempty"`
	// HeaderError and ClaimsError say why a part did not decode.
	HeaderError string `json:"header_error,omitempty"`
	ClaimsError string `json:"claims_error,omitempty"`
	// Signature describes the third part without revealing it.
	Signature RedactedSignature `json:"signature"`
	// SignatureError says why the third part is not unpadded base64url
	// (its position only, never its characters).
	SignatureError string `json:"signature_error,omitempty"`
	// Undecoded is true when the token was measured and not decoded: over
	// the bytes the harness decodes (stsrules.TooLongToDecode). Nothing of
	// it but its length and parts is known.
	Undecoded bool `json:"undecoded,omitempty"`
	// Verifications are the probe-phase signature checks, by verifier name
	// ("jwx", "go-oidc").
	Verifications []Verification `json:"verifications,omitempty"`
}

// RedactedSignature describes a signature without revealing it.
type RedactedSignature struct {
	// Length is the length of the base64url signature part.
	Length int `json:"length"`
	// SHA256 is the first 12 hex characters of the SHA-256 of that part.
	SHA256 string `json:"sha256_prefix"`
}

// Verification is one verifier's verdict on the token's signature.
type Verification struct {
	Verifier string `json:"verifier"`
	OK       bool   `json:"ok"`
	// Error is the verifier's message when not OK (never containing the token).
	Error string `json:"error,omitempty"`
	// Rule is the STS rule (harness/stsrules) that refused, when not OK:
	// "signature", or a rule on the key itself ("key-parse", ...) when no
	// key the token selects is usable.
	Rule string `json:"rule,omitempty"`
	// Key describes the key that verified the signature, when OK: its
	// position in the JWKS and its kid, and how many keys were candidates.
	Key string `json:"key,omitempty"`
	// KeyIndex is the 1-based position in the JWKS of that key (0: none).
	KeyIndex int `json:"key_index,omitempty"`
	// Abandoned is true when the run's time limit ended the verification
	// before it finished: Error says how long it ran; nothing was judged.
	Abandoned bool `json:"abandoned,omitempty"`
}

// Poll is one observation of the JWKS during a rotation watch.
type Poll struct {
	At   time.Time `json:"at"`
	JWKS *Exchange `json:"jwks"`
	// BodyAsBefore is true when the answer's body is byte for byte that of
	// the previous poll: in memory the two share it, and a saved run stores
	// it once (Read restores it).
	BodyAsBefore bool `json:"body_as_before,omitempty"`
}

// MarshalJSON writes the poll without its body when BodyAsBefore.
func (p Poll) MarshalJSON() ([]byte, error) {
	type plain Poll
	if p.BodyAsBefore && p.JWKS != nil && len(p.JWKS.Hops) > 0 {
		ex := *p.JWKS
		ex.Hops = append([]Hop(nil), ex.Hops...)
		ex.Hops[len(ex.Hops)-1].Body = nil
		p.JWKS = &ex
	}
	return json.Marshal(plain(p))
}

// restoreBodies gives each BodyAsBefore poll the body of the poll before
// it, as the watch shared it.
func restoreBodies(polls []Poll) error {
	var prev []byte
	for i := range polls {
		h := polls[i].JWKS.Final()
		switch {
		case polls[i].BodyAsBefore && (h == nil || prev == nil):
			return fmt.Errorf("poll %d repeats a body, but no poll before it has one", i)
		case polls[i].BodyAsBefore:
			h.Body = prev
		case h != nil && len(h.Body) > 0:
			prev = h.Body
		}
	}
	return nil
}

// Replica is the JWKS as served by one address of the jwks_uri host.
type Replica struct {
	Addr string    `json:"addr"`
	JWKS *Exchange `json:"jwks"`
}

// Baseline is a JWKS saved by an earlier run (--save-jwks), compared against
// by ROT-001 and ROT-003.
type Baseline struct {
	Source  string          `json:"source"`
	SavedAt time.Time       `json:"saved_at"`
	JWKS    json.RawMessage `json:"jwks"`
}
