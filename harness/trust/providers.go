package trust

import (
	"fmt"
	"slices"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/spelling"
)

// GitHubHost is GitHub Actions' issuer without https://: the prefix of its
// condition keys.
const GitHubHost = "token.actions.githubusercontent.com"

// genericClaims are the claims every OIDC provider's condition keys may
// name: <provider>:aud, :sub, :amr and :azp (IAM User Guide, "Available keys
// for AWS web identity federation").
func genericClaims() []string { return []string{"aud", "sub", "amr", "azp"} }

// KnownProvider is what STS knows of one identity provider beyond the
// generic keys: the claims it validates as condition keys since February
// 2026 ("AWS STS supports validation of identity provider claims", What's
// New 2026-01), and IAM's controls for shared providers.
type KnownProvider struct {
	// Name is the provider's name for messages, e.g. "GitHub Actions".
	Name string
	// Host is the provider host (the issuer without https://), or its
	// prefix when Prefix is set (CircleCI's issuer is per organization).
	Host   string
	Prefix bool
	// Claims are the provider-specific claims STS validates as condition
	// keys, on top of aud, sub, amr and azp.
	Claims []string
	// Confirmed is false when the harness could not confirm the list of
	// Claims from a source: a key outside it is then a warning, not a failure.
	Confirmed bool
	// Source names where the list comes from.
	Source string
	// Shared is true for a provider whose issuer many customers share:
	// IAM refuses a trust policy that does not pin one of PinClaims
	// (id_roles_providers_oidc_secure-by-default.html).
	Shared    bool
	PinClaims []string
}

// KnownProviders returns the providers STS knows claims of. GitHub's list is
// AWS's table (quoted in the announcement and in cageyv.dev, "AWS STS:
// Validate OIDC provider claims", 2026-02-06); Google's oaud is in the IAM
// User Guide's list of web identity keys. The lists for Google's other
// claims, CircleCI and Oracle Cloud Infrastructure are on AWS pages the
// harness could not read: they are unconfirmed, and a key outside them is a
// warning.
func KnownProviders() []KnownProvider {
	return []KnownProvider{
		{
			Name: "GitHub Actions", Host: GitHubHost,
			Claims:    []string{"actor", "actor_id", "job_workflow_ref", "repository", "repository_id", "workflow", "ref", "environment", "enterprise_id"},
			Confirmed: true,
			Source:    "AWS What's New 2026-01, \"AWS STS supports validation of identity provider claims\"",
			Shared:    true, PinClaims: []string{"sub", "job_workflow_ref"},
		},
		{
			Name: "Google", Host: "accounts.google.com",
			Claims: []string{"oaud"},
			Source: "IAM User Guide, Available keys for AWS web identity federation (oaud); the 2026 provider-specific list is unconfirmed",
		},
		{
			Name: "CircleCI", Host: "oidc.circleci.com/org/", Prefix: true,
			Source: "AWS What's New 2026-01 names CircleCI; its list of keys is unconfirmed",
		},
		{
			Name: "Oracle Cloud Infrastructure", Host: "identity.oraclecloud.com", Prefix: true,
			Source: "AWS What's New 2026-01 names Oracle Cloud Infrastructure; its issuer host and list of keys are unconfirmed",
		},
	}
}

// ProviderFor returns what STS knows of the provider host (the issuer
// without https://), if it is one of KnownProviders.
func ProviderFor(host string) (KnownProvider, bool) {
	host = strings.ToLower(ProviderHost(host))
	for _, p := range KnownProviders() {
		if host == p.Host || (p.Prefix && strings.HasPrefix(host, p.Host)) {
			return p, true
		}
	}
	return KnownProvider{}, false
}

// ConditionClaims returns the claims whose condition keys STS fills for a
// token of the provider host: aud, sub, amr, azp and the provider's own.
func ConditionClaims(host string) []string {
	claims := genericClaims()
	if p, ok := ProviderFor(host); ok {
		claims = append(claims, p.Claims...)
	}
	return claims
}

// KeyCheck is the verdict on one condition key for a provider.
type KeyCheck struct {
	// OK is true when STS fills the key for this provider's tokens.
	OK bool
	// Unconfirmed is true when the key is not known to be filled but the
	// provider's list is unconfirmed: a warning, not a failure.
	Unconfirmed bool
	// Problem says what is wrong, with the key that was probably meant.
	Problem string
}

// CheckKey judges a condition's key for tokens of the provider host: whether
// STS fills it, and if not, which key was probably meant (a near miss of the
// host or of a known claim).
func CheckKey(host string, c Condition) KeyCheck {
	host = ProviderHost(host)
	if !strings.EqualFold(c.Provider, host) {
		msg := fmt.Sprintf("%q is not a key of this provider (%s:%s)", c.Key, host, c.Claim)
		if near(strings.ToLower(c.Provider), strings.ToLower(host)) {
			msg = fmt.Sprintf("%q names the provider %q: did you mean %s:%s?", c.Key, c.Provider, host, c.Claim)
		}
		return KeyCheck{Problem: msg}
	}
	claims := ConditionClaims(host)
	if slices.Contains(claims, c.Claim) {
		return KeyCheck{OK: true}
	}
	p, known := ProviderFor(host)
	msg := fmt.Sprintf("%q names %q, which STS does not fill for this provider (its keys are %s); any other key is absent from the request, so the condition fails",
		c.Key, c.Claim, keyList(host, claims))
	if meant := nearestClaim(c.Claim, claims); meant != "" {
		msg += fmt.Sprintf(": did you mean %s:%s?", host, meant)
	} else if !known {
		for _, other := range KnownProviders() {
			if slices.Contains(other.Claims, c.Claim) {
				msg += fmt.Sprintf(" (%s is a key of %s tokens only)", c.Claim, other.Name)
				break
			}
		}
	}
	if known && !p.Confirmed {
		return KeyCheck{Unconfirmed: true, Problem: msg + fmt.Sprintf(" (unconfirmed: %s)", p.Source)}
	}
	return KeyCheck{Problem: msg}
}

// keyList renders host:claim for each claim.
func keyList(host string, claims []string) string {
	keys := make([]string, len(claims))
	for i, c := range claims {
		keys[i] = host + ":" + c
	}
	return strings.Join(keys, ", ")
}

// nearestClaim returns the known claim that claim is a near miss of: the
// same without underscores, a prefix of it ("repo"), or within two edits.
func nearestClaim(claim string, known []string) string {
	bare := strings.ReplaceAll(claim, "_", "")
	for _, k := range known {
		if strings.ReplaceAll(k, "_", "") == bare {
			return k
		}
	}
	for _, k := range known {
		if len(claim) >= 4 && strings.HasPrefix(k, claim) {
			return k
		}
	}
	for _, k := range known {
		if len(k) > 3 && spelling.Distance(claim, k) <= 2 {
			return k
		}
	}
	return ""
}

// near reports whether a is a misspelling of b: within three edits, for
// names long enough that this is not chance.
func near(a, b string) bool {
	return len(b) > 8 && a != b && spelling.Distance(a, b) <= 3
}
