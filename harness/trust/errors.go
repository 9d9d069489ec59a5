package trust

import "fmt"

// ParseError says why a trust policy was refused and where.
type ParseError struct {
	// Path locates the problem, e.g. "Statement[0].Condition.StringEquals".
	// Empty for the document as a whole.
	Path string
	// Msg says what is wrong.
	Msg string
	// Unsupported is true when the document may be valid IAM but uses
	// something this evaluator does not implement (NotAction, another
	// operator or key, policy variables), as opposed to being malformed.
	Unsupported bool
}

// Error implements error.
func (e *ParseError) Error() string {
	what := "malformed"
	if e.Unsupported {
		what = "unsupported"
	}
	if e.Path == "" {
		return fmt.Sprintf("trust policy %s: %s", what, e.Msg)
	}
	return fmt.Sprintf("trust policy %s: %s: %s", what, e.Path, e.Msg)
}

// malformed returns a ParseError for a malformed document.
func malformed(path, format string, args ...any) *ParseError {
	return &ParseError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// unsupported returns a ParseError for a feature this package does not implement.
func unsupported(path, format string, args ...any) *ParseError {
	return &ParseError{Path: path, Msg: fmt.Sprintf(format, args...), Unsupported: true}
}
