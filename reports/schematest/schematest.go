// Package schematest checks JSON reports against the report's JSON Schema,
// for the tests of every package that writes one.
package schematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/oidc-conformance/oidc-conformance/reports"
)

// compiled is the schema, compiled once per test binary.
var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reports.Schema))
	if err != nil {
		return nil, fmt.Errorf("schematest: the schema is not JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		return nil, fmt.Errorf("schematest: %w", err)
	}
	s, err := c.Compile("report.schema.json")
	if err != nil {
		return nil, fmt.Errorf("schematest: compile the schema: %w", err)
	}
	return s, nil
})

// Validate reports whether report (the bytes of a JSON report) is valid
// against reports.Schema, and why not.
func Validate(report []byte) error {
	s, err := compiled()
	if err != nil {
		return err
	}
	if !json.Valid(report) {
		return fmt.Errorf("schematest: the report is not JSON")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(report))
	if err != nil {
		return fmt.Errorf("schematest: %w", err)
	}
	if err := s.Validate(doc); err != nil {
		return fmt.Errorf("schematest: the report does not follow the schema: %w", err)
	}
	return nil
}
