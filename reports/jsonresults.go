package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// jsonTargetWriter writes a target's part of the JSON report by hand, byte
// for byte as jsonEncode would (the goldens and a test hold it to that),
// without reflection or re-indenting: a fleet's report has tens of
// thousands of results. Strings are escaped by encoding/json itself; those
// seen before (a catalog's titles, remediations, references) once.
type jsonTargetWriter struct {
	b   bytes.Buffer
	str bytes.Buffer
	enc *json.Encoder
	esc map[string]string
}

// jsonEscapeCache bounds the escaped strings kept: findings' messages vary
// by target and are not worth keeping.
const jsonEscapeCache = 4096

func newJSONTargetWriter() *jsonTargetWriter {
	jw := &jsonTargetWriter{esc: make(map[string]string)}
	jw.enc = json.NewEncoder(&jw.str)
	jw.enc.SetEscapeHTML(false)
	return jw
}

// quote is s as a JSON string.
func (jw *jsonTargetWriter) quote(s string) (string, error) {
	if e, ok := jw.esc[s]; ok {
		return e, nil
	}
	jw.str.Reset()
	if err := jw.enc.Encode(s); err != nil {
		return "", fmt.Errorf("reports: encode json report: %w", err)
	}
	e := string(bytes.TrimSuffix(jw.str.Bytes(), []byte("\n")))
	if len(jw.esc) < jsonEscapeCache {
		jw.esc[s] = e
	}
	return e, nil
}

// field writes a "name": "value" line at indent.
func (jw *jsonTargetWriter) field(indent, name, value string, last bool) error {
	q, err := jw.quote(value)
	if err != nil {
		return err
	}
	jw.b.WriteString("\n" + indent + `"` + name + `": `)
	jw.b.WriteString(q)
	if !last {
		jw.b.WriteByte(',')
	}
	return nil
}

// write writes target t at the targets' depth (four spaces), without a
// trailing newline.
func (jw *jsonTargetWriter) write(w io.Writer, t jsonTarget) error {
	jw.b.Reset()
	const in, rin, fin = "      ", "        ", "          "
	jw.b.WriteString("{")
	if err := jw.field(in, "name", t.Name, false); err != nil {
		return err
	}
	fmt.Fprintf(&jw.b, "\n%s\"index\": %d,", in, t.Index)
	if err := jw.field(in, "issuer", t.Issuer, false); err != nil {
		return err
	}
	jw.b.WriteString("\n" + in + `"results": [`)
	for i, r := range t.Results {
		if i > 0 {
			jw.b.WriteByte(',')
		}
		jw.b.WriteString("\n" + rin + "{")
		for _, f := range []struct{ name, value string }{
			{"id", r.ID}, {"title", r.Title}, {"area", r.Area}, {"severity", string(r.Severity)},
			{"status", string(r.Status)}, {"message", r.Message},
		} {
			if err := jw.field(fin, f.name, f.value, false); err != nil {
				return err
			}
		}
		if r.BlockedBy != "" {
			if err := jw.field(fin, "blocked_by", r.BlockedBy, false); err != nil {
				return err
			}
		}
		if wv := r.Waiver; wv != nil {
			const win = fin + "  "
			jw.b.WriteString("\n" + fin + `"waiver": {`)
			for i, f := range []struct{ name, value string }{{"reason", wv.Reason}, {"owner", wv.Owner}, {"expires", wv.Expires}} {
				if err := jw.field(win, f.name, f.value, i == 2); err != nil {
					return err
				}
			}
			jw.b.WriteString("\n" + fin + "},")
		}
		if err := jw.field(fin, "remediation", r.Remediation, false); err != nil {
			return err
		}
		if err := jw.field(fin, "reference", r.Reference, true); err != nil {
			return err
		}
		jw.b.WriteString("\n" + rin + "}")
	}
	if len(t.Results) > 0 {
		jw.b.WriteString("\n" + in)
	}
	jw.b.WriteString("]")
	if len(t.Acceptance) > 0 {
		// A few rows per target: encoding/json at this depth writes the
		// same bytes as the whole document's encoder would.
		var v bytes.Buffer
		enc := json.NewEncoder(&v)
		enc.SetEscapeHTML(false)
		enc.SetIndent(in, "  ")
		if err := enc.Encode(t.Acceptance); err != nil {
			return fmt.Errorf("reports: encode acceptance of %q: %w", t.Name, err)
		}
		jw.b.WriteString(",\n" + in + `"acceptance": `)
		jw.b.Write(bytes.TrimRight(v.Bytes(), "\n"))
	}
	jw.b.WriteString("\n    }")
	_, err := w.Write(jw.b.Bytes())
	return err
}
