package infile

import (
	"fmt"
	"io"
	"os"
	"time"
)

// ReadStream reads all of r (standard input, "-") under k's cap, named by
// flag in errors. When r is a pipe or FIFO (not a terminal, where a person
// may be typing), it must deliver within wait: a pipe whose writer never
// writes or closes ends in "no data within ...", not a hang. (The read
// left waiting ends with the process.)
func ReadStream(flag string, r io.Reader, k Kind, wait time.Duration) ([]byte, error) {
	read := func() ([]byte, error) {
		b, err := io.ReadAll(io.LimitReader(r, k.Max+1))
		switch {
		case err != nil:
			return nil, fmt.Errorf("%s: %w", flag, err)
		case int64(len(b)) > k.Max:
			return nil, fmt.Errorf("%s: larger than %s", flag, size(k.Max))
		}
		return b, nil
	}
	f, ok := r.(*os.File)
	if !ok {
		return read()
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice != 0 {
		return read() // a terminal, or unknown: no deadline on a person
	}
	type answer struct {
		b   []byte
		err error
	}
	done := make(chan answer, 1)
	go func() { b, err := read(); done <- answer{b, err} }()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case a := <-done:
		return a.b, a.err
	case <-timer.C:
		return nil, fmt.Errorf("%s: no data within %s (a pipe no one writes to?)", flag, wait)
	}
}
