package evidence

import "sync"

// derivedValues are the values computed from one exchange, by key.
type derivedValues struct {
	mu sync.Mutex
	m  map[string]any
}

// Derived returns the value named key computed from e by compute, computing
// it on the first call only: many checks read the same answer (a key set
// parsed once per target, not once per check). compute must depend on e's
// recorded fields alone, and e must not change once a value is derived.
// Safe for concurrent use; the value is shared, so callers must not modify it.
func (e *Exchange) Derived(key string, compute func() any) any {
	d := e.derived.Load()
	if d == nil {
		e.derived.CompareAndSwap(nil, &derivedValues{m: map[string]any{}})
		d = e.derived.Load()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if v, ok := d.m[key]; ok {
		return v
	}
	v := compute()
	d.m[key] = v
	return v
}
