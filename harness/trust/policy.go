package trust

// Effect is a statement's Effect.
type Effect string

// Effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Policy is a parsed trust policy. Its fields describe the document for
// judgements such as IAM-004..006; Evaluate decides a request.
type Policy struct {
	// Version is the policy language version, "" when absent.
	Version string
	// Statements are the statements in document order (a lone Statement
	// object is one statement).
	Statements []Statement
}

// Statement is one statement of a trust policy.
type Statement struct {
	// Sid is the statement ID, "" when absent.
	Sid    string
	Effect Effect
	// Principal says whom the statement is about.
	Principal Principal
	// Actions are the Action patterns as written (* and ? are wildcards,
	// matched without regard to case).
	Actions []string
	// Conditions are the conditions in document order; all must hold.
	Conditions []Condition
}

// Principal is a statement's Principal element.
type Principal struct {
	// Everyone is true for "Principal": "*".
	Everyone bool
	// Federated lists the Federated principals (ARNs of OIDC providers, or
	// names such as accounts.google.com; "*" for any).
	Federated []string
	// Others lists the principals of other types ("AWS", "Service",
	// "CanonicalUser") as "Type:value". They never match a web identity.
	Others []string
}

// Condition is one key of one condition operator block, e.g.
// "StringEquals": {"oidc.example.com:sub": "system:serviceaccount:ns:sa"}.
type Condition struct {
	// Operator is the operator as written, e.g. "ForAnyValue:StringLike".
	Operator string
	// Set is the set-operator prefix: "", "ForAnyValue" or "ForAllValues".
	Set string
	// Test is the base operator in canonical spelling, e.g. "StringLike" or "Null".
	Test string
	// IfExists is true for an ...IfExists operator: a missing key matches.
	IfExists bool
	// Key is the condition key as written, e.g. "oidc.example.com/id/X:sub".
	Key string
	// Provider is the part of Key before its last colon: the provider's URL
	// without https:// when the key is right.
	Provider string
	// Claim is the part after the last colon, lower-cased: "aud", "sub",
	// "amr", "azp", or a provider-specific claim (CheckKey says whether STS
	// fills it).
	Claim string
	// Values are the policy's values for the key, as text.
	Values []string
}
