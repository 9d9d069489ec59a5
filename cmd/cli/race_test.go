//go:build race

package cli

// raceEnabled: under the race detector runs are several times slower, so
// the tests only hold them to the looser bounds.
const raceEnabled = true
