package check

// ReportEntryName names the Ginkgo report entry in which the runner records a
// Verdict for every spec it runs; report writers read it back.
const ReportEntryName = "oidc-conformance-verdict"

// Verdict is one check's outcome for one target, as recorded in the Ginkgo
// report. It carries no secrets: judgements never put a token or key in a message.
type Verdict struct {
	Target  string `json:"target"`
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Message string `json:"message"`
	// BlockedBy is the failed check that kept this one from being judged.
	BlockedBy string `json:"blocked_by,omitempty"`
}
