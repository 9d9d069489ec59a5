// Package infile reads the files a command is given (policies, provider
// descriptions, key sets, PEM bundles, tokens, evidence, configurations)
// through one bounded reader: each kind of file has a size cap, named in the
// error ("--trust-policy F: larger than 1 MiB"), a regular file over it is
// refused from its size alone, and a pipe or FIFO must deliver within a
// deadline ("no data within 5s"). /dev/zero, a huge sparse file and a FIFO
// no one writes to thus each end in one line, fast, without growing memory.
package infile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// Kind is a kind of input file and its size cap.
type Kind struct {
	// Max is the largest accepted size in bytes.
	Max int64
}

// The kinds of input files.
var (
	// JSON is a policy, a provider description, a key set, a configuration.
	JSON = Kind{Max: 1 << 20}
	// SavedJWKS is a key set saved by --save-jwks (the 1 MiB body, base64
	// in JSON with its time).
	SavedJWKS = Kind{Max: 2 << 20}
	// PEM is a bundle of certificates (and keys): the system bundle is
	// about 200 KiB.
	PEM = Kind{Max: 4 << 20}
	// Token is a web identity token. STS takes at most 20000 characters,
	// but a longer token is the issuer's defect, judged (TOK-013 for STS), not bad
	// input: the cap is the size no token file reaches by mistake.
	Token = Kind{Max: 1 << 20}
	// Evidence is a file written by --save-evidence.
	Evidence = Kind{Max: 64 << 20}
	// Report is a --json report (a shard's, a run's to rerun).
	Report = Kind{Max: 64 << 20}
)

// DefaultWait is how long a pipe or FIFO may take to deliver its data.
const DefaultWait = 5 * time.Second

// pollEvery is how often a FIFO with no writer yet is tried again.
const pollEvery = 20 * time.Millisecond

// Read returns the whole file at path, or an error naming flag and path:
// over k's cap, not a file, or no data within DefaultWait.
func Read(flag, path string, k Kind) ([]byte, error) {
	return ReadWithin(flag, path, k, DefaultWait)
}

// ReadWithin is Read with the wait for a pipe or FIFO given.
func ReadWithin(flag, path string, k Kind, wait time.Duration) ([]byte, error) {
	r, err := OpenWithin(flag, path, k, wait)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// Open returns a reader of path bounded as Read is, for a caller that
// decodes as it reads (evidence); its errors name flag and path.
func Open(flag, path string, k Kind) (io.ReadCloser, error) {
	return OpenWithin(flag, path, k, DefaultWait)
}

// OpenWithin is Open with the wait for a pipe or FIFO given.
func OpenWithin(flag, path string, k Kind, wait time.Duration) (io.ReadCloser, error) {
	name := path // with no flag (a caller that names it), the path alone
	if flag != "" {
		name = flag + " " + path
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("%s: %s", name, fmt.Sprintf(format, a...))
	}
	f, err := openNonBlocking(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fail("%v", err)
	}
	st, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, fail("%v", err)
	case st.IsDir():
		f.Close()
		return nil, fail("is a directory")
	case st.Mode().IsRegular() && st.Size() > k.Max:
		f.Close()
		return nil, fail("larger than %s", size(k.Max))
	}
	deadline := time.Now().Add(wait)
	_ = f.SetReadDeadline(deadline) // pipes and FIFOs; a regular file never waits
	return &bounded{f: f, fail: fail, max: k.Max, wait: wait, deadline: deadline,
		fifo: st.Mode()&(fs.ModeNamedPipe|fs.ModeSocket) != 0}, nil
}

// bounded reads at most max bytes, failing past it, and gives a pipe or
// FIFO until deadline.
type bounded struct {
	f        *os.File
	fail     func(string, ...any) error
	max, n   int64
	wait     time.Duration
	deadline time.Time
	fifo     bool
	err      error
}

// Read implements io.Reader.
func (b *bounded) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if room := b.max + 1 - b.n; int64(len(p)) > room {
		p = p[:room]
	}
	for {
		n, err := b.f.Read(p)
		b.n += int64(n)
		switch {
		case b.n > b.max:
			b.err = b.fail("larger than %s", size(b.max))
			return 0, b.err
		case errors.Is(err, os.ErrDeadlineExceeded):
			b.err = b.fail("no data within %s (a pipe or FIFO no one writes to?)", b.wait)
			return n, b.err
		case err == io.EOF && b.fifo && b.n == 0:
			// A FIFO opened without blocking reads as empty until a writer
			// opens it: wait for one until the deadline.
			if time.Now().After(b.deadline) {
				b.err = b.fail("no data within %s (a pipe or FIFO no one writes to?)", b.wait)
				return 0, b.err
			}
			time.Sleep(pollEvery)
			continue
		case err != nil && err != io.EOF:
			b.err = b.fail("%v", err)
			return n, b.err
		}
		return n, err
	}
}

// Close closes the file.
func (b *bounded) Close() error { return b.f.Close() }

// size writes a cap for a message: "1 MiB", "64 KiB".
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
