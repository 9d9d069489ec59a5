package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// fleetProgress reports a fleet's probing on stderr: on a terminal one line
// rewritten as targets finish, in CI (no terminal) a line every ciEvery.
type fleetProgress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	total    int
	done     int
	last     time.Time
	// unreachable counts targets whose discovery fetch got no answer.
	unreachable int
}

// ciEvery is how often a non-terminal progress line is printed.
const ciEvery = 5 * time.Second

// termEvery limits how often the terminal line is rewritten.
const termEvery = 100 * time.Millisecond

func newFleetProgress(w io.Writer, terminal bool, total int) *fleetProgress {
	return &fleetProgress{w: w, terminal: terminal, total: total}
}

// probed counts one finished target; safe for concurrent use.
func (p *fleetProgress) probed(_ int, t *evidence.Target) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if t.Discovery == nil || t.Discovery.Err != "" {
		p.unreachable++
	}
	if p.terminal && (time.Since(p.last) >= termEvery || p.done == p.total) {
		p.last = time.Now()
		fmt.Fprintf(p.w, "\r\033[K%s", p.line())
	}
}

// line is the progress so far.
func (p *fleetProgress) line() string {
	return fmt.Sprintf("probed %d/%d targets, %d unreachable so far", p.done, p.total, p.unreachable)
}

// start begins the CI ticker; the returned func ends the progress with a
// final line.
func (p *fleetProgress) start() func() {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if !p.terminal {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(ciEvery)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					p.mu.Lock()
					fmt.Fprintln(p.w, p.line())
					p.mu.Unlock()
				}
			}
		}()
	}
	return func() {
		close(stop)
		wg.Wait()
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.terminal {
			fmt.Fprintf(p.w, "\r\033[K%s; judging\n", p.line())
		} else {
			fmt.Fprintf(p.w, "%s; judging\n", p.line())
		}
	}
}
