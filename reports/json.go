package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// JSONVersion is the version of the JSON report format written by WriteJSON.
const JSONVersion = 1

// The JSON report's wire format, kept apart from Results so the model can
// change without changing the file format.
type (
	jsonReport struct {
		Version int          `json:"version"`
		Targets []jsonTarget `json:"targets"`
		Summary jsonSummary  `json:"summary"`
	}
	jsonTarget struct {
		Issuer  string       `json:"issuer"`
		Results []jsonResult `json:"results"`
		// Acceptance is the acceptance matrix, a row per relying party.
		Acceptance []relyingparty.Row `json:"acceptance,omitempty"`
	}
	jsonResult struct {
		ID          string         `json:"id"`
		Title       string         `json:"title"`
		Area        string         `json:"area"`
		Severity    check.Severity `json:"severity"`
		Status      check.Status   `json:"status"`
		Message     string         `json:"message"`
		BlockedBy   string         `json:"blocked_by,omitempty"`
		Remediation string         `json:"remediation"`
		Reference   string         `json:"reference"`
	}
	jsonSummary struct {
		Passed   int `json:"passed"`
		Failed   int `json:"failed"`
		Warnings int `json:"warnings"`
		Skipped  int `json:"skipped"`
	}
)

// WriteJSON writes r as indented JSON:
//
//	{"version":1,
//	 "targets":[{"issuer":"...","results":[{"id","title","area","severity",
//	   "status","message","blocked_by","remediation","reference"}],
//	   "acceptance":[{"relying_party","verdict","blocking","assumed",
//	     "login","disagreement"}]}],
//	 "summary":{"passed","failed","warnings","skipped"}}
//
// Every field is always present but blocked_by, which names the failed check
// that kept a skipped one from being judged, and acceptance, the matrix (a
// row per relying party asked for: verdict accepts, rejects or unknown, the
// blocking root-cause IDs, what was assumed; login and disagreement only when
// set); durations are not written. ReadJSON reads it
// back.
func WriteJSON(w io.Writer, r Results) error {
	doc := jsonReport{
		Version: JSONVersion,
		Targets: make([]jsonTarget, 0, len(r.Targets)),
		Summary: jsonSummary(r.Summary),
	}
	for _, t := range r.Targets {
		jt := jsonTarget{Issuer: t.Issuer, Results: make([]jsonResult, 0, len(t.Results)), Acceptance: t.Acceptance}
		for _, res := range t.Results {
			jt.Results = append(jt.Results, jsonResult{
				ID: res.ID, Title: res.Title, Area: res.Area, Severity: res.Severity, Status: res.Status,
				Message: res.Message, BlockedBy: res.BlockedBy, Remediation: res.Remediation, Reference: res.Reference,
			})
		}
		doc.Targets = append(doc.Targets, jt)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("reports: encode json report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("reports: write json report: %w", err)
	}
	return nil
}

// ReadJSON reads a report written by WriteJSON (for example one shard of a
// fleet run). The summary is counted again from the results rather than
// trusted from the file.
func ReadJSON(rd io.Reader) (Results, error) {
	var doc jsonReport
	if err := json.NewDecoder(rd).Decode(&doc); err != nil {
		return Results{}, fmt.Errorf("reports: read json report: %w", err)
	}
	if doc.Version != JSONVersion {
		return Results{}, fmt.Errorf("reports: read json report: version %d, want %d", doc.Version, JSONVersion)
	}
	targets := make([]TargetResults, 0, len(doc.Targets))
	for _, jt := range doc.Targets {
		t := TargetResults{Issuer: jt.Issuer, Results: make([]Result, 0, len(jt.Results)), Acceptance: jt.Acceptance}
		for _, jr := range jt.Results {
			t.Results = append(t.Results, Result{
				ID: jr.ID, Title: jr.Title, Area: jr.Area, Severity: jr.Severity, Status: jr.Status,
				Message: jr.Message, BlockedBy: jr.BlockedBy, Remediation: jr.Remediation, Reference: jr.Reference,
			})
		}
		targets = append(targets, t)
	}
	return NewResults(targets), nil
}
