package claims

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// MaxSubjectLength is the longest sub STS accepts, in characters.
const MaxSubjectLength = 255

// Kubernetes service-account subjects.
const (
	serviceAccountPrefix = "system:serviceaccount:"
	kubernetesClaim      = "kubernetes.io"
)

func judgeIssuer(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	want := t.Input.Issuer
	iss, present, ok := c.str("iss")
	switch {
	case want == "":
		return check.Skip("no issuer to compare with")
	case !present:
		return check.Failf("the token has no iss claim (want %q)", want)
	case !ok:
		return check.Failf("iss is not a string: %s", clip(c["iss"], 80))
	case iss == want:
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

func judgeSubject(t *evidence.Target) check.Finding {
	c, skip := claimsOf(t)
	if skip != nil {
		return *skip
	}
	sub, present, ok := c.str("sub")
	n := utf8.RuneCountInString(sub)
	switch {
	case !present:
		return check.Failf("Missing a required claim: sub")
	case !ok:
		return check.Failf("sub is not a string: %s", clip(c["sub"], 80))
	case n == 0:
		return check.Failf("sub is empty")
	}
	var problems []string
	if n > MaxSubjectLength {
		problems = append(problems, fmt.Sprintf("sub is %d characters, over STS's limit of %d", n, MaxSubjectLength))
	}
	_, hasBlock := c[kubernetesClaim]
	if t.Input.Profile == "kubernetes" || hasBlock {
		problems = append(problems, serviceAccountProblems(sub, c)...)
	}
	if len(problems) > 0 {
		return check.Failf("%s", strings.Join(problems, "; "))
	}
	return check.Pass("sub %q", sub)
}

// serviceAccountProblems checks sub against system:serviceaccount:<ns>:<name>
// and, when present, the kubernetes.io claim block.
func serviceAccountProblems(sub string, c object) []string {
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
