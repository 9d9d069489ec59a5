package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/relyingparty"
)

// JSONVersion is the version of the JSON report format written by WriteJSON.
const JSONVersion = 1

// The JSON report's wire format, kept apart from Results so the model can
// change without changing the file format.
type (
	jsonReport struct {
		Version int           `json:"version"`
		Shard   *jsonShard    `json:"shard,omitempty"`
		Targets []jsonTarget  `json:"targets"`
		Waivers []jsonWaiverF `json:"waivers,omitempty"`
		Summary jsonSummary   `json:"summary"`
	}
	jsonWaiver struct {
		Reason  string `json:"reason"`
		Owner   string `json:"owner"`
		Expires string `json:"expires"`
	}
	jsonWaiverF struct {
		Check   string       `json:"check"`
		Target  string       `json:"target"`
		Owner   string       `json:"owner"`
		Expires string       `json:"expires"`
		Status  check.Status `json:"status"`
		Message string       `json:"message"`
	}
	jsonShard struct {
		Index int `json:"index"`
		Count int `json:"count"`
		Total int `json:"total"`
	}
	jsonTarget struct {
		Name    string       `json:"name"`
		Index   int          `json:"index"`
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
		Waiver      *jsonWaiver    `json:"waiver,omitempty"`
		Remediation string         `json:"remediation"`
		Reference   string         `json:"reference"`
	}
	jsonSummary struct {
		Passed   int `json:"passed"`
		Failed   int `json:"failed"`
		Warnings int `json:"warnings"`
		Skipped  int `json:"skipped"`
		Waived   int `json:"waived,omitempty"`
	}
)

// WriteJSON writes r as indented JSON:
//
//	{"version":1,
//	 "shard":{"index","count","total"},    (a --shard run only)
//	 "targets":[{"name","index","issuer","results":[{"id","title","area","severity",
//	   "status","message","blocked_by","remediation","reference"}],
//	   "acceptance":[{"relying_party","verdict","blocking","assumed",
//	     "login","disagreement"}]}],
//	 "summary":{"passed","failed","warnings","skipped"}}
//
// Every field is always present but shard and blocked_by, which names the
// failed check that kept a skipped one from being judged, and acceptance,
// the matrix (a row per relying party asked for: verdict accepts, rejects
// or unknown, the blocking root-cause IDs, what was assumed; login and
// disagreement only when set); durations are not written, so a run's report
// and the merge of its shards are the same bytes.
// A target's index is its position in the run's whole list of targets.
// schema/report.schema.json describes the format; ReadJSON reads it back.
//
// The targets are streamed one at a time: a fleet's report is never held
// whole in memory.
func WriteJSON(w io.Writer, r Results) error {
	// The document without its targets, "targets": [] marking where they go.
	doc := jsonReport{Version: JSONVersion, Targets: []jsonTarget{}, Summary: jsonSummary(r.Summary)}
	if r.Shard != nil {
		doc.Shard = &jsonShard{Index: r.Shard.Index, Count: r.Shard.Count, Total: r.Shard.Total}
	}
	for _, f := range r.Waivers {
		doc.Waivers = append(doc.Waivers, jsonWaiverF{Check: f.Check, Target: f.Target, Owner: f.Owner,
			Expires: f.Expires.Format(time.DateOnly), Status: f.Status, Message: f.Message})
	}
	var b bytes.Buffer
	if err := jsonEncode(&b, doc, ""); err != nil {
		return err
	}
	head, tail, ok := bytes.Cut(b.Bytes(), []byte(jsonTargetsMark))
	if !ok {
		return fmt.Errorf("reports: encode json report: no %s in the document", jsonTargetsMark)
	}
	bw := &jsonWriter{w: w}
	bw.write(head)
	bw.write([]byte(`"targets": [`))
	tw := newJSONTargetWriter()
	for i, t := range r.Targets {
		if i > 0 {
			bw.write([]byte(","))
		}
		bw.write([]byte("\n    "))
		if bw.err == nil {
			bw.err = tw.write(bw.w, jsonTargetOf(t))
		}
	}
	if len(r.Targets) > 0 {
		bw.write([]byte("\n  "))
	}
	bw.write([]byte("]"))
	bw.write(tail)
	if bw.err != nil {
		return fmt.Errorf("reports: write json report: %w", bw.err)
	}
	return nil
}

// jsonTargetsMark is how the encoder writes an empty target list.
const jsonTargetsMark = `"targets": []`

// jsonEncode writes v as the report's JSON (indented by two spaces, no HTML
// escaping), every line after the first starting with prefix.
func jsonEncode(b *bytes.Buffer, v any, prefix string) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("reports: encode json report: %w", err)
	}
	return nil
}

// jsonTargetOf is one target's part of the report.
func jsonTargetOf(t TargetResults) jsonTarget {
	jt := jsonTarget{Name: t.Label(), Index: t.Index, Issuer: t.Issuer, Results: make([]jsonResult, 0, len(t.Results)), Acceptance: t.Acceptance}
	for _, res := range t.Results {
		jr := jsonResult{
			ID: res.ID, Title: res.Title, Area: res.Area, Severity: res.Severity, Status: res.Status,
			Message: res.Message, BlockedBy: res.BlockedBy, Remediation: res.Remediation, Reference: res.Reference,
		}
		if w := res.Waiver; w != nil {
			jr.Waiver = &jsonWaiver{Reason: w.Reason, Owner: w.Owner, Expires: w.Expires.Format(time.DateOnly)}
		}
		jt.Results = append(jt.Results, jr)
	}
	return jt
}

// jsonWriter writes until the first error, and keeps it.
type jsonWriter struct {
	w   io.Writer
	err error
}

func (jw *jsonWriter) write(p []byte) {
	if jw.err == nil {
		_, jw.err = jw.w.Write(p)
	}
}

// ReadJSON reads a report written by WriteJSON (for example one shard of a
// fleet run). The summary is counted again from the results rather than
// trusted from the file.
func ReadJSON(rd io.Reader) (Results, error) {
	var doc jsonReport
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return Results{}, fmt.Errorf("reports: read json report: %w", err)
	}
	if doc.Version != JSONVersion {
		return Results{}, fmt.Errorf("reports: read json report: version %d, want %d", doc.Version, JSONVersion)
	}
	targets := make([]TargetResults, 0, len(doc.Targets))
	for _, jt := range doc.Targets {
		t := TargetResults{Name: jt.Name, Index: jt.Index, Issuer: jt.Issuer, Results: make([]Result, 0, len(jt.Results)), Acceptance: jt.Acceptance}
		for _, jr := range jt.Results {
			res := Result{
				ID: jr.ID, Title: jr.Title, Area: jr.Area, Severity: jr.Severity, Status: jr.Status,
				Message: jr.Message, BlockedBy: jr.BlockedBy, Remediation: jr.Remediation, Reference: jr.Reference,
			}
			if w := jr.Waiver; w != nil {
				exp, err := time.Parse(time.DateOnly, w.Expires)
				if err != nil {
					return Results{}, fmt.Errorf("reports: read json report: waiver of %s: %w", jr.ID, err)
				}
				res.Waiver = &WaiverNote{Reason: w.Reason, Owner: w.Owner, Expires: exp}
			}
			t.Results = append(t.Results, res)
		}
		targets = append(targets, t)
	}
	res := NewResults(targets)
	for _, f := range doc.Waivers {
		exp, err := time.Parse(time.DateOnly, f.Expires)
		if err != nil {
			return Results{}, fmt.Errorf("reports: read json report: waiver of %s: %w", f.Check, err)
		}
		res.Waivers = append(res.Waivers, WaiverFinding{Check: f.Check, Target: f.Target, Owner: f.Owner, Expires: exp, Status: f.Status, Message: f.Message})
	}
	if s := doc.Shard; s != nil {
		res.Shard = &Shard{Index: s.Index, Count: s.Count, Total: s.Total}
	}
	return res, nil
}
