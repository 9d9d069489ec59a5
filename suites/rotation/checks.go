package rotation

import "github.com/oidc-conformance/oidc-conformance/harness/check"

// Area is the label and report area of these checks.
const Area = "rotation"

// Checks returns the key rotation checks, in ID order.
func Checks() check.Catalog {
	all := []check.Profile{check.AWS, check.Kubernetes, check.OIDC}
	needsSet := []string{"JWKS-002"}
	c := check.Catalog{
		{ID: "ROT-001", Title: "a kid never changes its key", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7517 §4.5; verifiers cache keys by kid (STS, go-oidc)",
			Remediation: "Give every new key a new kid (e.g. its RFC 7638 thumbprint); never reuse a kid for other key material.",
			Requires:    needsSet,
			Judge:       judgeKIDStable},
		{ID: "ROT-002", Title: "old keys stay published while their tokens are valid", Severity: check.Fail, Profiles: all,
			Reference:   "OpenID Connect Core 1.0 §10.1.1 (rotation); EKS tokens live 24 h",
			Remediation: "After publishing a new key, keep every old key in the set for at least the token lifetime (the given token's, else --max-token-lifetime, default 24h).",
			Requires:    needsSet,
			Judge:       judgeOverlap},
		{ID: "ROT-003", Title: "no key removed since the baseline while its tokens may be valid", Severity: check.Warn, Profiles: all,
			Reference:   "--jwks-baseline (a key set saved by --save-jwks); OpenID Connect Core 1.0 §10.1.1",
			Remediation: "Keep a retired key published for a token lifetime after it stops signing; check that added and removed kids match the rotations you made.",
			Requires:    needsSet,
			Judge:       judgeBaseline},
		{ID: "ROT-004", Title: "every address and every fetch serves the same keys", Severity: check.Fail, Profiles: all,
			Reference:   "AWS STS: intermittent InvalidIdentityToken from split replicas or CDN edges",
			Remediation: "Publish the key set to every replica or origin at once and invalidate CDN caches after a change.",
			Requires:    needsSet,
			WarnsWhen:   "an address could not be reached from here at all: the network path may be at fault, not the issuer, so it is not compared",
			Judge:       judgeReplicas},
		{ID: "ROT-005", Title: "the token's key was published before it signed", Severity: check.Fail, Profiles: all,
			Reference:   "RFC 7515 §4.1.4; STS: \"Couldn't retrieve verification key from your identity provider\"",
			Remediation: "Publish a new key (and let caches expire) before signing with it; keep it published until its tokens expire.",
			Requires:    []string{"TOK-001", "TOK-003"},
			Judge:       judgeTokenKID},
		{ID: "ROT-006", Title: "max-age is shorter than the key overlap", Severity: check.Warn, Profiles: all,
			Reference:   "EKS: \"Respect the cache-control header\"; RFC 9111 §5.2.2.1",
			Remediation: "Keep old and new keys published together for longer than the JWKS max-age, or lower max-age.",
			Requires:    []string{"JWKS-002", "ROT-002"},
			Judge:       judgeCacheWithinOverlap},
	}
	for i := range c {
		c[i].Area = Area
	}
	return c
}
