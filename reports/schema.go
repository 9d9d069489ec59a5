package reports

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of the JSON report that
// WriteJSON writes: a run's, a shard's and a merge's.
//
//go:embed report.schema.json
var Schema []byte
