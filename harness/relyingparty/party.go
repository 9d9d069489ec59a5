// Package relyingparty is the framework of the acceptance matrix: a relying
// party (AWS STS, an EKS cluster's OIDC login, kube-apiserver's JWT
// authenticator, ...) is a named set of rules with its own inputs and its own
// checks, on top of the shared discovery, TLS, JWKS and token checks it
// reads; its verdict on a target is read from the checks' outcomes.
//
// Adding a relying party is a package under suites/ that returns a Party and
// one line in suites.RelyingParties.
package relyingparty

import (
	"context"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// Party is one relying party.
type Party struct {
	// Name is what --for takes, e.g. "eks-oidc-login".
	Name string
	// Title says in a few words who it is.
	Title string
	// Profile is the shared rule set its base checks come from; the checks
	// of that profile are judged when the party is asked for.
	Profile check.Profile
	// Prefix is the ID prefix of its own checks ("EKS-"); "" when it has none.
	Prefix string
	// Checks returns its own checks, every ID starting with Prefix; nil: none.
	Checks func() check.Catalog
	// Reads are the shared checks whose failure makes this party refuse.
	// Nil: every check of Profile (but other parties' own checks).
	Reads []string
	// Needs are checks this party cannot accept without: when one of them
	// was not judged (no token, a filter left it out, a prerequisite it
	// does not read failed), the verdict is unknown.
	Needs []string
	// Doubts are checks (its own or shared ones it reads) that warn on a
	// rule the party documents but whose behaviour is unconfirmed (Entra
	// supports only RS256 and has not tested the others): a warning from
	// one makes the verdict unknown, naming it, where it would accept.
	Doubts []string
	// Inputs are its command-line inputs.
	Inputs []Input
	// Validate reports a malformed input (a bad config file): bad input,
	// checked before anything runs. Nil: none to check.
	Validate func(in evidence.Input) error
	// Assumed says what the party assumed of inputs not given. Nil: nothing.
	Assumed func(t *evidence.Target) []string
	// Login says who the token would log in as ("" when it does not apply
	// or cannot be said). Nil: not a login.
	Login func(t *evidence.Target) string
	// Verifier is the party's own verifier, run in the probe phase with the
	// raw token (nil: none); Crosscheck compares its recorded answer with the
	// verdict the checks gave and returns the disagreement, or "".
	Verifier   func(ctx context.Context, t *evidence.Target, raw string, jwks []byte)
	Crosscheck func(t *evidence.Target, row Row) string
}

// Input is one command-line input of a relying party.
type Input struct {
	// Flag is the flag's name without dashes, e.g. "eks-client-id"; it is
	// also the key of evidence.RelyingParty.Values or Files.
	Flag string
	// Usage is the flag's help text.
	Usage string
	// File: the value is a path, read (bounded) into Files.
	File bool
	// Repeatable: the flag may be given more than once.
	Repeatable bool
}

// owns reports whether id is one of p's own checks.
func (p Party) owns(id string) bool { return p.Prefix != "" && strings.HasPrefix(id, p.Prefix) }
