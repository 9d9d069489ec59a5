package reports

import (
	"fmt"
	"slices"
)

// Merge joins the reports of a fleet's shards into the report one run over
// every target would have written: targets in the list's order (by Index),
// the summary counted again, no shard. The parts must be the shards of one
// split (same count and total), each once, every one present; reports that
// are not shards are joined in the order given. A target named twice is an
// error.
func Merge(parts []Results) (Results, error) {
	if len(parts) == 0 {
		return Results{}, fmt.Errorf("reports: merge: no report")
	}
	sharded := parts[0].Shard != nil
	seen := map[int]bool{}
	var targets []TargetResults
	for i, p := range parts {
		switch s := p.Shard; {
		case (s != nil) != sharded:
			return Results{}, fmt.Errorf("reports: merge: report %d is %s, report 1 is %s; merge the shards of one run", i+1, shardWord(s), shardWord(parts[0].Shard))
		case s != nil && (s.Count != parts[0].Shard.Count || s.Total != parts[0].Shard.Total):
			return Results{}, fmt.Errorf("reports: merge: report %d is shard %d/%d of %d targets, report 1 of a %d/%d split of %d", i+1, s.Index, s.Count, s.Total, parts[0].Shard.Index, parts[0].Shard.Count, parts[0].Shard.Total)
		case s != nil && seen[s.Index]:
			return Results{}, fmt.Errorf("reports: merge: shard %d/%d is given twice", s.Index, s.Count)
		case s != nil:
			seen[s.Index] = true
		}
		targets = append(targets, p.Targets...)
	}
	if sharded {
		first := parts[0].Shard
		for i := 0; i < first.Count; i++ {
			if !seen[i] {
				return Results{}, fmt.Errorf("reports: merge: shard %d/%d is missing", i, first.Count)
			}
		}
		slices.SortStableFunc(targets, func(a, b TargetResults) int { return a.Index - b.Index })
		if len(targets) != first.Total {
			return Results{}, fmt.Errorf("reports: merge: the shards hold %d targets, the split %d", len(targets), first.Total)
		}
	}
	names := map[string]bool{}
	for _, t := range targets {
		if names[t.Label()] {
			return Results{}, fmt.Errorf("reports: merge: target %q is in two reports", t.Label())
		}
		names[t.Label()] = true
	}
	out := NewResults(targets)
	out.Waivers = mergeWaiverFindings(parts)
	return out, nil
}

// shardWord describes a report's shard for an error.
func shardWord(s *Shard) string {
	if s == nil {
		return "a whole run"
	}
	return fmt.Sprintf("shard %d/%d", s.Index, s.Count)
}
