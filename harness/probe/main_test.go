package probe

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine behind: the
// probe starts many (targets, replicas, the STS exchange, verification).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
