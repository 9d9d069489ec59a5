package reports

import (
	"bytes"
	"testing"
)

// TestJSONTargetWriterMatchesEncoder: a target written by hand is the bytes
// encoding/json writes for it at the targets' depth, hostile text, a waiver,
// a blocked check and an empty target included.
func TestJSONTargetWriterMatchesEncoder(t *testing.T) {
	hostile := "a \"q\" <b> & \\ \t\n\r \x01 \xff é \u2028 \u2029 </script>"
	targets := []jsonTarget{
		{Name: hostile, Index: 7, Issuer: "https://x.test", Results: []jsonResult{
			{ID: "A-1", Title: hostile, Area: "a", Severity: "FAIL", Status: "failed", Message: hostile, Remediation: hostile, Reference: "r"},
			{ID: "A-2", Title: "t", Area: "a", Severity: "WARN", Status: "skipped", Message: "m", BlockedBy: "A-1", Remediation: "", Reference: ""},
			{ID: "A-3", Title: "t", Area: "a", Severity: "FAIL", Status: "waived", Message: "m",
				Waiver: &jsonWaiver{Reason: hostile, Owner: "o", Expires: "2026-12-31"}, Remediation: "f", Reference: "r"},
		}},
		{Name: "empty", Results: []jsonResult{}},
	}
	tw := newJSONTargetWriter()
	for i, jt := range targets {
		var want, got bytes.Buffer
		if err := jsonEncode(&want, jt, "    "); err != nil {
			t.Fatal(err)
		}
		if err := tw.write(&got, jt); err != nil {
			t.Fatal(err)
		}
		if g, w := got.String(), string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))); g != w {
			t.Errorf("target %d:\n got %q\nwant %q", i, g, w)
		}
	}
}
