package jwkset

import "sync"

// memoSize is how many parsed sets are remembered: a run judges a handful
// of key sets (main fetch, repeats, replicas, polls), mostly identical.
const memoSize = 4

// memo remembers parsed sets by the SHA-256 of their body. It is a pure
// cache (the same body always parses the same way), bounded, and safe for
// concurrent use; the oldest entry goes first.
var memo = &setMemo{byDigest: map[[32]byte]memoEntry{}}

type setMemo struct {
	mu       sync.Mutex
	byDigest map[[32]byte]memoEntry
	order    [][32]byte
}

type memoEntry struct {
	set *Set
	err error
}

func (m *setMemo) get(sum [32]byte) (*Set, error, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.byDigest[sum]
	return e.set, e.err, ok
}

func (m *setMemo) put(sum [32]byte, s *Set, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.byDigest[sum]; ok {
		return
	}
	if len(m.order) >= memoSize {
		delete(m.byDigest, m.order[0])
		m.order = m.order[1:]
	}
	m.byDigest[sum] = memoEntry{set: s, err: err}
	m.order = append(m.order, sum)
}
