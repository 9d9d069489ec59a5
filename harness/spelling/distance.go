// Package spelling finds near misses: a member, claim or condition key that
// is a typo of a known one, so a finding can say which was meant.
package spelling

// Distance is the Levenshtein distance of a and b: the fewest single-byte
// insertions, deletions and substitutions that turn one into the other.
// Beyond 8 bytes of difference in length it returns that difference without
// computing further, since no caller counts such a pair as a near miss.
func Distance(a, b string) int {
	if d := len(a) - len(b); d > 8 || d < -8 {
		return max(d, -d)
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
