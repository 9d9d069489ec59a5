//go:build !unix

package token

import "os/exec"

// ownGroup does nothing where process groups are not available: cancelling
// kills the command itself, and WaitDelay bounds the wait for its pipes.
func ownGroup(*exec.Cmd) {}
