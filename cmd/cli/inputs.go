package cli

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// inputFileAnnotation marks a flag whose value is a file the command reads.
// Every such file is read through harness/infile (a cap per kind, a deadline
// for pipes); TestInputFileFlags finds the flags by this mark, so a new
// file-taking flag must carry it.
const inputFileAnnotation = "oidc-conformance/input-file"

// inputFiles marks the named flags of f as input files (and as file names
// for shell completion).
func inputFiles(f *pflag.FlagSet, names ...string) {
	for _, n := range names {
		_ = f.SetAnnotation(n, inputFileAnnotation, []string{"true"})
		_ = f.SetAnnotation(n, cobra.BashCompFilenameExt, []string{})
	}
}
