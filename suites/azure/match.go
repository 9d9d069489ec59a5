package azure

import (
	"fmt"
	"strings"
)

// Entra's answers when no federated identity credential matches, as users
// quote them (Azure/azure-workload-identity#340, #616, #1200; Azure/login#482,
// #515; microsoft/Agents#202).
const (
	noIssuer  = "AADSTS700211: No matching federated identity record found for presented assertion issuer '%s' (older tenants: AADSTS70021: No matching federated identity record found for presented assertion.)"
	noSubject = "AADSTS700213: No matching federated identity record found for presented assertion subject '%s'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion."
	// caseSubject is 7002138's text; 7002137 is the same answer for
	// Entra's own subjects.
	caseSubject = "AADSTS7002138: No matching federated identity record found for presented assertion subject '%s'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison."
	noAudience  = "AADSTS700212: No matching federated identity record found for presented assertion audience '%s'"
)

// byIssuer returns the credentials whose issuer is iss, byte for byte: Entra
// compares case-sensitively, a trailing slash included.
func byIssuer(fics []FIC, iss string) []FIC {
	var out []FIC
	for _, f := range fics {
		if f.Issuer == iss {
			out = append(out, f)
		}
	}
	return out
}

// bySubject returns the credential of fics whose subject is sub exactly:
// with the issuer, the pair Entra looks the credential up by.
func bySubject(fics []FIC, sub string) (FIC, bool) {
	for _, f := range fics {
		if f.Subject == sub {
			return f, true
		}
	}
	return FIC{}, false
}

// issuerMiss says why no credential's issuer is iss (what names it: the
// token's iss, the discovery issuer): the nearest near miss (whitespace,
// case, a trailing slash), or that none is near.
func issuerMiss(fics []FIC, iss, what string) string {
	for _, f := range fics {
		if d := differs(f.Issuer, iss, what); d != "" {
			return fmt.Sprintf("credential %s has issuer %q, which %s", f.Name, f.Issuer, d)
		}
	}
	var issuers []string
	for _, f := range fics {
		issuers = append(issuers, fmt.Sprintf("%q", f.Issuer))
	}
	return "the credentials' issuers are " + strings.Join(issuers, ", ")
}

// differs says how the credential's issuer fic is a near miss of iss (what
// names it), or "" when it is not near.
func differs(fic, iss, what string) string {
	trimSlash := func(s string) string { return strings.TrimSuffix(s, "/") }
	switch {
	case strings.TrimSpace(fic) == strings.TrimSpace(iss):
		return "differs only by surrounding whitespace"
	case trimSlash(fic) == trimSlash(iss) && strings.HasSuffix(iss, "/"):
		return "lacks the trailing slash " + what + " has: a trailing / matters"
	case trimSlash(fic) == trimSlash(iss):
		return "has a trailing slash " + what + " lacks: a trailing / matters"
	case strings.EqualFold(fic, iss):
		return "differs only in case: Entra matches case-sensitively"
	case strings.EqualFold(trimSlash(fic), trimSlash(iss)):
		return "differs in case and by a trailing slash: Entra matches case-sensitively, a trailing / included"
	}
	return ""
}

// subjectMiss is Entra's answer when no credential of the token's issuer
// has its subject sub, and why.
func subjectMiss(fics []FIC, sub string) string {
	for _, f := range fics {
		if strings.EqualFold(f.Subject, sub) {
			return fmt.Sprintf(caseSubject+" (credential %s has subject %q)", sub, f.Name, f.Subject)
		}
	}
	var notes []string
	for _, f := range fics {
		note := fmt.Sprintf("credential %s has subject %q", f.Name, f.Subject)
		if strings.ContainsAny(f.Subject, "*?") {
			note += ": wildcards are not supported, * and ? are literal characters that never match"
		}
		notes = append(notes, note)
	}
	return fmt.Sprintf(noSubject, sub) + " (" + strings.Join(notes, "; ") + ")"
}
