package gcp

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/ext"
)

// Bounds of CEL work: an expression is judged within these whatever it
// asks for (a hostile comprehension, a string built up to gigabytes).
const (
	// costLimit is the evaluation cost at which CEL stops (about a million
	// elementary operations).
	costLimit = 1_000_000
	// evalTimeout bounds one evaluation in wall time besides the cost.
	evalTimeout = time.Second
	// interruptEvery is how many comprehension iterations run between two
	// looks at the deadline.
	interruptEvery = 100
	// parseRecursionLimit bounds the parser's nesting depth.
	parseRecursionLimit = 64
	// maxListShown is the capacity reserved for a list result up front.
	maxListShown = 64
)

// Variables GCP gives its expressions: the mapping reads assertion (the
// token's claims); the condition reads assertion, google and attribute
// (the mapping's results).
const (
	varAssertion = "assertion"
	varGoogle    = "google"
	varAttribute = "attribute"
)

// The environments of the mapping and the condition, built once: a CEL
// environment is immutable and safe for concurrent use.
var (
	mappingEnv   = sync.OnceValues(func() (*cel.Env, error) { return newEnv(varAssertion) })
	conditionEnv = sync.OnceValues(func() (*cel.Env, error) { return newEnv(varAssertion, varGoogle, varAttribute) })
)

// newEnv is the CEL environment of an expression over vars (each a map of
// string to dyn): standard CEL, the strings extension and GCP's extract.
func newEnv(vars ...string) (*cel.Env, error) {
	opts := []cel.EnvOption{
		ext.Strings(),
		cel.CrossTypeNumericComparisons(true),
		cel.ParserRecursionLimit(parseRecursionLimit),
		cel.ParserExpressionSizeLimit(maxConditionLen),
		extractFunction(),
	}
	for _, v := range vars {
		opts = append(opts, cel.Variable(v, cel.MapType(cel.StringType, cel.DynType)))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, fmt.Errorf("CEL environment: %w", err)
	}
	return env, nil
}

// extractFunction is GCP's extract: s.extract("prefix{name}suffix") is the
// part of s between the template's prefix and suffix, "" when s does not
// hold them (GCP's attribute-mapping documentation).
func extractFunction() cel.EnvOption {
	return cel.Function("extract",
		cel.MemberOverload("string_extract_string", []*cel.Type{cel.StringType, cel.StringType}, cel.StringType,
			cel.BinaryBinding(func(s, tmpl ref.Val) ref.Val {
				str, ok1 := s.Value().(string)
				t, ok2 := tmpl.Value().(string)
				if !ok1 || !ok2 {
					return types.NewErr("extract: want strings")
				}
				return types.String(extract(str, t))
			})))
}

// extract is the part of s the template's {placeholder} stands for.
func extract(s, tmpl string) string {
	open, end := strings.IndexByte(tmpl, '{'), strings.IndexByte(tmpl, '}')
	if open < 0 || end < open {
		return ""
	}
	prefix, suffix := tmpl[:open], tmpl[end+1:]
	i := strings.Index(s, prefix)
	if i < 0 {
		return ""
	}
	rest := s[i+len(prefix):]
	if suffix == "" {
		return rest
	}
	j := strings.Index(rest, suffix)
	if j < 0 {
		return ""
	}
	return rest[:j]
}

// program is one compiled expression.
type program struct {
	src string
	prg cel.Program
}

// compile compiles src in env; wantBool asks for a boolean expression.
func compile(env *cel.Env, src string, wantBool bool) (*program, error) {
	ast, iss := env.Compile(src)
	if iss != nil && iss.Err() != nil {
		return nil, fmt.Errorf("does not compile: %s", oneLine(iss.Err().Error()))
	}
	if wantBool && ast.OutputType() != cel.BoolType && ast.OutputType() != cel.DynType {
		return nil, fmt.Errorf("is of type %s, not bool", ast.OutputType())
	}
	prg, err := env.Program(ast, cel.CostLimit(costLimit), cel.InterruptCheckFrequency(interruptEvery))
	if err != nil {
		return nil, fmt.Errorf("does not build: %s", oneLine(err.Error()))
	}
	return &program{src: src, prg: prg}, nil
}

// errCost is an evaluation stopped by a bound.
var errCost = errors.New("stopped: over the harness's CEL cost or time bound")

// eval evaluates p over vars under ctx and the harness's bounds, and
// returns the result as a Go value (string, bool, []any, ...).
func (p *program) eval(ctx context.Context, vars map[string]any) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, evalTimeout)
	defer cancel()
	out, _, err := p.prg.ContextEval(ctx, vars)
	if err != nil {
		if ctx.Err() != nil || strings.Contains(err.Error(), "cost limit") || strings.Contains(err.Error(), "interrupted") {
			return nil, errCost
		}
		return nil, fmt.Errorf("%s", oneLine(err.Error()))
	}
	return native(out), nil
}

// native converts a CEL result to plain Go values: strings, bools,
// numbers, []any and map[string]any.
func native(v ref.Val) any {
	switch x := v.(type) {
	case types.String:
		return string(x)
	case types.Bool:
		return bool(x)
	case types.Int:
		return int64(x)
	case types.Uint:
		return uint64(x)
	case types.Double:
		return float64(x)
	case types.Null:
		return nil
	}
	if l, ok := v.(traits.Lister); ok {
		n, _ := l.Size().(types.Int)
		out := make([]any, 0, min(int(n), maxListShown))
		for i := types.Int(0); i < n; i++ {
			out = append(out, native(l.Get(i)))
		}
		return out
	}
	return v.Value()
}

// oneLine joins a multi-line CEL message.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
