package jwkset

import (
	"crypto/sha256"
	"sync"
)

// memoSize is how many parsed bodies a Memo remembers: a run judges a
// handful of key sets (main fetch, repeats, replicas, polls), mostly
// identical.
const memoSize = 4

// Memo remembers what a parser made of a body, by the body's SHA-256: a
// pure cache (the same body always parses the same way), bounded to the
// last few bodies, safe for concurrent use. Its zero value is ready. What
// it returns is shared: callers must not modify it.
type Memo[T any] struct {
	mu       sync.Mutex
	byDigest map[[32]byte]memoEntry[T]
	order    [][32]byte
}

type memoEntry[T any] struct {
	v   T
	err error
}

// Get returns parse(body), parsing a body only once while it is remembered.
func (m *Memo[T]) Get(body []byte, parse func([]byte) (T, error)) (T, error) {
	sum := sha256.Sum256(body)
	m.mu.Lock()
	e, ok := m.byDigest[sum]
	m.mu.Unlock()
	if ok {
		return e.v, e.err
	}
	v, err := parse(body)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byDigest == nil {
		m.byDigest = map[[32]byte]memoEntry[T]{}
	}
	if _, ok := m.byDigest[sum]; !ok {
		if len(m.order) >= memoSize {
			delete(m.byDigest, m.order[0])
			m.order = m.order[1:]
		}
		m.byDigest[sum] = memoEntry[T]{v: v, err: err}
		m.order = append(m.order, sum)
	}
	return v, err
}
