package claims

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
)

// MaxSubjectLength is the longest sub STS accepts, in characters (the model's).
const MaxSubjectLength = stsrules.MaxSubjectLength

// Kubernetes service-account subjects.
const (
	serviceAccountPrefix = "system:serviceaccount:"
	kubernetesClaim      = "kubernetes.io"
)

// judgeIssuer is TOK-005: STS's iss rules, against the probed issuer as the
// provider's URL.
func judgeIssuer(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	want := t.Input.Issuer
	if want == "" {
		return check.Skip("no issuer to compare with")
	}
	iss, e := c.Issuer()
	if e != nil {
		return check.Failf("%s (want %q)", e.Reason(), want)
	}
	if stsrules.MatchIssuer(iss, want) == nil {
		return check.Pass("iss is %q", iss)
	}
	msg := fmt.Sprintf("iss %q differs from the issuer %q", iss, want)
	switch {
	case strings.TrimSuffix(iss, "/") == strings.TrimSuffix(want, "/"):
		msg += ": they differ only by a trailing slash, and IAM matches iss byte for byte"
	case strings.EqualFold(iss, want):
		msg += ": they differ only in case, and IAM matches iss byte for byte"
	}
	return check.Failf("%s", msg)
}

// judgeSubject is TOK-007: STS's sub rule (characters counted, a WARN where
// bytes would count otherwise), and on Kubernetes the service-account shape.
func judgeSubject(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	sub, e := c.Subject()
	if e != nil {
		return check.Failf("%s", e.Message)
	}
	_, hasBlock := c[kubernetesClaim]
	if t.Input.Profile == "kubernetes" || hasBlock {
		if problems := serviceAccountProblems(sub, c); len(problems) > 0 {
			return check.Failf("%s", strings.Join(problems, "; "))
		}
	}
	if w := stsrules.SubjectCaveat(sub); w != "" {
		return check.Warnf("%s", w)
	}
	return check.Pass("sub %q", sub)
}

// serviceAccountProblems checks sub against system:serviceaccount:<ns>:<name>
// and, when present, the kubernetes.io claim block.
func serviceAccountProblems(sub string, c stsrules.Claims) []string {
	rest, ok := strings.CutPrefix(sub, serviceAccountPrefix)
	ns, name, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || ns == "" || name == "" || strings.Contains(name, ":") {
		return []string{fmt.Sprintf("sub %q is not a service account (system:serviceaccount:<namespace>:<name>)", clip([]byte(sub), 80))}
	}
	raw, present := c[kubernetesClaim]
	if !present {
		return nil
	}
	var block struct {
		Namespace      *string `json:"namespace"`
		ServiceAccount *struct {
			Name *string `json:"name"`
		} `json:"serviceaccount"`
	}
	if err := json.Unmarshal(raw, &block); err != nil {
		return []string{fmt.Sprintf("the kubernetes.io claim is not an object of the expected shape: %s", clip(raw, 80))}
	}
	var problems []string
	switch {
	case block.Namespace == nil:
		problems = append(problems, "kubernetes.io has no namespace")
	case *block.Namespace != ns:
		problems = append(problems, fmt.Sprintf("sub's namespace %q differs from kubernetes.io.namespace %q", ns, *block.Namespace))
	}
	switch {
	case block.ServiceAccount == nil || block.ServiceAccount.Name == nil:
		problems = append(problems, "kubernetes.io has no serviceaccount.name")
	case *block.ServiceAccount.Name != name:
		problems = append(problems, fmt.Sprintf("sub's service account %q differs from kubernetes.io.serviceaccount.name %q", name, *block.ServiceAccount.Name))
	}
	return problems
}
