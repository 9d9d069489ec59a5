package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
)

//go:embed html.tmpl
var htmlSource string

// htmlPage is the template, parsed once.
var htmlPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"word":      func(st check.Status) string { w, _ := consoleStatus(st); return w },
	"waiver":    waiverLine,
	"printable": func(s string) string { return printable(s, true) },
	"date":      func(t time.Time) string { return t.UTC().Format(time.DateOnly) },
	"stamp":     func(t time.Time) string { return t.UTC().Format("15:04:05") },
	"ms":        func(d time.Duration) string { return d.Round(time.Millisecond).String() },
	"timeline":  timelineSVG,
	"counts":    countResults,
	"notable":   func(st check.Status) bool { return st == check.Failed || st == check.Warning || st == Waived },
}).Parse(htmlSource))

// htmlView is what the template renders.
type htmlView struct {
	Results
	Line     string
	Failed   bool
	Findings []htmlFinding
	Areas    []string
	// Full lists every check of every target; a fleet's page (more than
	// FleetThreshold targets) lists each target's findings only.
	Full bool
}

// htmlFinding is one failure, warning or waived result, with its target.
type htmlFinding struct {
	Target string
	Result
}

// WriteHTML writes r as one self-contained HTML page for a person: the
// verdict and summary first, then every failure and warning with its fix
// and reference, a filter by area, severity and status, each target's
// results and evidence (documents pretty-printed, TLS chains, timings) and
// for a --watch run the key-ID timeline as SVG. It loads nothing: styles
// and the filter's script are inline and a Content-Security-Policy forbids
// every fetch. Issuer text is escaped by html/template. A fleet's page (more
// than FleetThreshold targets) lists only each target's failures, warnings
// and waived results, with the count of the rest.
func WriteHTML(w io.Writer, r Results) error {
	v := htmlView{Results: r, Line: summaryLine(r.Summary), Failed: r.Failed(), Full: len(r.Targets) <= FleetThreshold}
	for _, t := range r.Targets {
		for _, res := range t.Results {
			if !slices.Contains(v.Areas, res.Area) && res.Area != "" {
				v.Areas = append(v.Areas, res.Area)
			}
			if res.Status == check.Failed || res.Status == check.Warning || res.Status == Waived {
				v.Findings = append(v.Findings, htmlFinding{Target: t.Label(), Result: res})
			}
		}
	}
	var b bytes.Buffer
	if err := htmlPage.Execute(&b, v); err != nil {
		return fmt.Errorf("reports: render html report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("reports: write html report: %w", err)
	}
	return nil
}

// timelineSVG draws which key IDs were published at each poll: a row per
// kid, a mark per poll that served it.
func timelineSVG(tl *Timeline) template.HTML {
	if tl == nil || len(tl.Polls) == 0 {
		return ""
	}
	const left, row, width = 160, 22, 560
	span := tl.End.Sub(tl.Start)
	x := func(t time.Time) float64 {
		if span <= 0 {
			return left
		}
		return left + float64(width)*float64(t.Sub(tl.Start))/float64(span)
	}
	h := row*len(tl.Keys) + 30
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg class="timeline" width="%d" height="%d" role="img" aria-label="key IDs published over the watch">`, left+width+20, h)
	for i, k := range tl.Keys {
		y := row*i + 15
		fmt.Fprintf(&b, `<text x="4" y="%d">%s</text>`, y+4, template.HTMLEscapeString(truncate(printable(k.Kid, false), 20)))
		for _, p := range k.Seen {
			end := tl.End
			if p+1 < len(tl.Polls) {
				end = tl.Polls[p+1]
			}
			wdt := max(x(end)-x(tl.Polls[p]), 3)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="12"><title>%s at %s</title></rect>`,
				x(tl.Polls[p]), y-6, wdt, template.HTMLEscapeString(printable(k.Kid, false)), tl.Polls[p].UTC().Format(time.TimeOnly))
		}
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text><text x="%d" y="%d" text-anchor="end">%s (%d polls)</text></svg>`,
		left, h-4, tl.Start.UTC().Format(time.TimeOnly), left+width, h-4, tl.End.UTC().Format(time.TimeOnly), len(tl.Polls))
	return template.HTML(b.String()) //nolint:gosec // every piece of issuer text above is escaped
}

// truncate shortens s to n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
