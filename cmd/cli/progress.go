package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/probe"
)

// watchProgress reports a rotation watch: one rewritten line on a terminal,
// a line per poll otherwise.
type watchProgress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
}

// forTarget returns the progress callback of one target.
func (p *watchProgress) forTarget(issuer string) func(probe.WatchProgress) {
	return func(wp probe.WatchProgress) {
		p.mu.Lock()
		defer p.mu.Unlock()
		status := "no answer"
		if wp.Last != nil && wp.Last.JWKS != nil {
			if h := wp.Last.JWKS.Final(); h != nil {
				status = fmt.Sprintf("HTTP %d", h.Status)
			}
		}
		line := fmt.Sprintf("watch %s: %d polls, %d key-set changes, %s left, last %s",
			issuer, wp.Polls, wp.Changes, wp.Left.Round(time.Second), status)
		if p.terminal {
			fmt.Fprintf(p.w, "\r\033[K%s", line)
			if wp.Left <= 0 {
				fmt.Fprintln(p.w)
			}
			return
		}
		fmt.Fprintln(p.w, line)
	}
}
