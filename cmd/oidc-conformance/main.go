// Command oidc-conformance tests an OpenID Connect issuer against what AWS IAM
// and STS (and conforming relying parties) require.
package main

import (
	"os"

	"github.com/oidc-conformance/oidc-conformance/cmd/cli"
)

func main() {
	os.Exit(cli.Main())
}
