// Package suites assembles the check catalog from every suite area; it is the
// one list that `run`, `list`, the reports and the docs read.
package suites

import (
	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/suites/claims"
	"github.com/oidc-conformance/oidc-conformance/suites/discovery"
	"github.com/oidc-conformance/oidc-conformance/suites/iam"
	"github.com/oidc-conformance/oidc-conformance/suites/jwks"
	"github.com/oidc-conformance/oidc-conformance/suites/rotation"
	"github.com/oidc-conformance/oidc-conformance/suites/sts"
	"github.com/oidc-conformance/oidc-conformance/suites/tls"
)

// Catalog returns every check, area by area.
func Catalog() check.Catalog {
	var c check.Catalog
	c = append(c, discovery.Checks()...)
	c = append(c, tls.Checks()...)
	c = append(c, jwks.Checks()...)
	c = append(c, rotation.Checks()...)
	c = append(c, claims.Checks()...)
	c = append(c, iam.Checks()...)
	c = append(c, sts.Checks()...)
	return c
}
