// Package trust parses an IAM role trust policy and evaluates it the way IAM
// does for sts:AssumeRoleWithWebIdentity: explicit Deny wins, then any Allow
// whose Federated principal, action and conditions all match.
//
// It understands what web identity trust policies use: Principal.Federated,
// Action (with * and ? wildcards), and the condition operators StringEquals,
// StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase,
// StringLike, StringNotLike and Null, with the ForAnyValue:/ForAllValues:
// prefixes and the IfExists suffix, on keys <provider>:<claim>. STS fills
// :aud, :sub, :amr and :azp for every provider and, since February 2026, a
// few provider-specific claims (KnownProviders; CheckKey judges a key); any
// other key is absent from the request. Anything else (NotAction,
// NotPrincipal, other operators, policy variables, a malformed document) is
// an error from Parse, never a silent Allow.
//
// It is a product piece shared by the IAM suite, the explain command and the
// mock STS (fixtures/sts).
package trust
