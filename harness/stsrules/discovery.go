package stsrules

import (
	"net/url"
	"strings"
)

// DiscoveryPath is appended to the issuer's path (OpenID Connect Discovery
// 1.0 §4).
const DiscoveryPath = "/.well-known/openid-configuration"

// DiscoveryURL is where the discovery document of issuer lives (OpenID
// Connect Discovery 1.0 §4.1): the issuer without a trailing slash, plus
// DiscoveryPath. A query or fragment, which an issuer must not have, is
// dropped.
func DiscoveryURL(issuer string) string {
	u, err := url.Parse(issuer)
	if err != nil {
		return strings.TrimSuffix(issuer, "/") + DiscoveryPath
	}
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	u.Path = strings.TrimSuffix(u.Path, "/") + DiscoveryPath
	u.RawPath = ""
	return u.String()
}
