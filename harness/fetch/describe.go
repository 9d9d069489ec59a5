package fetch

import (
	"bytes"
	"fmt"
)

// DescribeBody makes a parse error about a fetched body say what the body
// plainly is when it is not JSON: gzip (the client asks for no compression,
// so a server that sends it anyway is at fault) or HTML/XML (an error page).
// Other errors are returned as they are.
func DescribeBody(err error, body []byte) error {
	switch b := bytes.TrimSpace(body); {
	case bytes.HasPrefix(body, []byte{0x1f, 0x8b}):
		return fmt.Errorf("the body is gzip-compressed (starts 1f 8b) though no compression was asked for: %w", err)
	case len(b) > 0 && b[0] == '<':
		return fmt.Errorf("the body is HTML or XML, not JSON: %w", err)
	}
	return err
}
