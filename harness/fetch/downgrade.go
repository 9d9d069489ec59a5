package fetch

import (
	"fmt"
	"net/url"
	"strings"
)

// Downgrade is the rule shared by the probe and the mock STS: a redirect
// from an https URL to anything but https (http://, above all) is refused,
// never followed, so a document that must come over TLS cannot be served in
// clear text by a hop on the way. The error names both URLs.
func Downgrade(from, to string) error {
	f, err := url.Parse(from)
	if err != nil || !strings.EqualFold(f.Scheme, "https") {
		return nil
	}
	t, err := url.Parse(to)
	if err != nil || strings.EqualFold(t.Scheme, "https") {
		return nil
	}
	return fmt.Errorf("get %s: refused the redirect to %s: a downgrade from https to %s (the document must come over TLS)",
		from, to, t.Scheme)
}
