package check

// Verdict is one check's outcome for one target, as the runner hands it to
// the reports: a value, never text to parse. It carries no secrets:
// judgements never put a token or key in a message.
type Verdict struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Message string `json:"message"`
	// BlockedBy is the failed check that kept this one from being judged.
	BlockedBy string `json:"blocked_by,omitempty"`
}
