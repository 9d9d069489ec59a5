package cli

import (
	"os"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"time"
)

// peakHeapEnv names a file where a child CLI writes the peak of its live
// heap (runtime/metrics, sampled every 2 ms), for the hostile-issuer tests.
const peakHeapEnv = "OIDC_CONFORMANCE_PEAK_HEAP"

// withPeakHeap runs main while sampling the heap and writes the peak, in
// bytes, to path.
func withPeakHeap(path string, main func() int) int {
	var peak atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	code := main()
	close(done)
	<-sampled
	_ = os.WriteFile(path, []byte(strconv.FormatUint(peak.Load(), 10)), 0o600)
	return code
}
