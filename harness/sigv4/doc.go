// Package sigv4 verifies AWS Signature Version 4 on the server side, as STS
// does for GetCallerIdentity: it parses the Authorization header, enforces
// the 15-minute clock window, checks the session token against the one
// issued, re-signs a copy of the request holding only the signed headers
// with the AWS SDK's own v4 signer, and compares the signatures in constant
// time. Failures are *Error values carrying the code, message and HTTP
// status STS answers with.
package sigv4
