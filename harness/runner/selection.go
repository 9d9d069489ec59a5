package runner

import (
	"regexp"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

// selection decides which checks of a target run, with Ginkgo's own
// semantics for --label-filter (its label language, types.ParseLabelFilter,
// over the check's labels) and --focus (its regular expressions, joined
// with "|", over the text Ginkgo would give the check's spec: the suite's
// description, the container, the target and the check's ID and title).
// The harness declares one Ginkgo spec per target, not per check, so it
// applies Ginkgo's rules per check itself.
type selection struct {
	labels types.LabelFilter
	focus  *regexp.Regexp
	// checkLabels are each catalog check's labels, cleaned as Ginkgo
	// cleans a spec's labels.
	checkLabels [][]string
}

// newSelection parses cfg's label filter and focus for cat.
func newSelection(cat check.Catalog, cfg Config) (*selection, error) {
	s := &selection{checkLabels: make([][]string, len(cat))}
	if cfg.LabelFilter != "" {
		lf, err := types.ParseLabelFilter(cfg.LabelFilter)
		if err != nil {
			return nil, err
		}
		s.labels = lf
	}
	if len(cfg.Focus) > 0 {
		re, err := regexp.Compile(strings.Join(cfg.Focus, "|"))
		if err != nil {
			return nil, err
		}
		s.focus = re
	}
	for j, c := range cat {
		for _, l := range labels(c) {
			if l = strings.TrimSpace(l); l != "" {
				s.checkLabels[j] = append(s.checkLabels[j], l)
			}
		}
	}
	return s, nil
}

// selected reports whether check j of cat runs on the target named target.
func (s *selection) selected(target string, j int, c check.Check) bool {
	if s.labels != nil && !s.labels(s.checkLabels[j]) {
		return false
	}
	return s.focus == nil || s.focus.MatchString(specText(target, c))
}

// specText is the text Ginkgo matched --focus against when each check was
// its own spec: the suite's description and every node's text, joined by
// spaces (an empty text is left out, as Ginkgo does).
func specText(target string, c check.Check) string {
	parts := []string{SuiteName, containerText}
	if target != "" {
		parts = append(parts, target)
	}
	return strings.Join(append(parts, c.ID+" "+c.Title), " ")
}

// labels are the check's area, severity, profiles and ID.
func labels(c check.Check) []string {
	l := []string{c.Area, strings.ToLower(string(c.Severity)), c.ID}
	for _, p := range c.Profiles {
		l = append(l, string(p))
	}
	return l
}
