package token

import "strings"

// Scrubbing: library errors do not quote the token today, but a message that
// reaches the evidence is checked anyway.
const (
	// minSecretLen is the shortest part treated as a secret: shorter strings
	// are not credentials and would match ordinary words.
	minSecretLen = 8
	// window is the length of a run of signature characters that, found in a
	// message, means the message quotes the signature.
	window   = 16
	redacted = "[redacted]"
)

// scrub removes the token and its signature part from msg, withholds the
// whole message if it still quotes a run of the signature, puts it on one line
// and caps its length.
func scrub(msg, raw string) string {
	_, _, sig, _ := split(raw)
	if len(raw) >= minSecretLen {
		msg = strings.ReplaceAll(msg, raw, redacted)
	}
	if len(sig) >= minSecretLen {
		msg = strings.ReplaceAll(msg, sig, redacted)
	}
	if quotes(msg, sig) {
		return "(message withheld: it quoted part of the token's signature)"
	}
	msg = oneLine(msg)
	if len(msg) > maxErrorLen {
		msg = msg[:maxErrorLen] + "..."
	}
	return msg
}

// quotes reports whether msg contains a run of window characters of secret.
func quotes(msg, secret string) bool {
	if len(secret) < window {
		return false
	}
	for i := 0; i+window <= len(msg); i++ {
		if strings.Contains(secret, msg[i:i+window]) {
			return true
		}
	}
	return false
}

// oneLine joins the non-empty lines of msg with "; " (joined errors span lines).
func oneLine(msg string) string {
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
}

// Scrub removes the token raw and its signature from a message that came
// from elsewhere (an STS endpoint's error), withholds the message if it still
// quotes part of the signature, puts it on one line and caps its length.
func Scrub(msg, raw string) string {
	if raw == "" {
		return oneLine(msg)
	}
	return scrub(msg, raw)
}
