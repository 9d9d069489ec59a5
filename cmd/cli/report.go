package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/reports"
)

// MergeOptions are the flags of `report merge`.
type MergeOptions struct {
	IO       IO
	Inputs   []string
	JSON     string
	JUnit    string
	Markdown string
	HTML     string
	NoColor  bool
	Console  string
}

// NewCmdReport builds `report` and its `merge`.
func NewCmdReport(streams IO) *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Work with the reports of earlier runs"}
	o := &MergeOptions{IO: streams}
	merge := &cobra.Command{
		Use:   "merge SHARD.json... [--json F] [--junit F] [--markdown F] [--html F]",
		Short: "Merge the --json reports of a fleet's shards into one report",
		Long: `Merge the --json reports of the shards of one run (--shard I/N) into the reports a
single run over every target would have written (the JSON byte for byte; JUnit without
timings), targets in the targets file's order. Every shard must be given once.

Exit codes: 0 every check passed, 1 a check failed, 2 bad input.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Inputs = args
			return runMerge(cmd.Context(), o)
		},
	}
	f := merge.Flags()
	f.StringVar(&o.JSON, "json", "", "write the merged JSON report to this file")
	f.StringVar(&o.JUnit, "junit", "", "write the merged JUnit XML report to this file")
	f.StringVar(&o.Markdown, "markdown", "", "write the merged Markdown report to this file")
	f.StringVar(&o.HTML, "html", "", "write the merged HTML report to this file (without evidence: shards' JSON has none)")
	f.BoolVar(&o.NoColor, "no-color", false, "no colour in the console report")
	f.StringVar(&o.Console, "console", "auto", "console listing: full, fleet or auto (fleet above 5 targets)")
	cmd.AddCommand(merge)
	return cmd
}

func runMerge(_ context.Context, o *MergeOptions) error {
	out := outputs{JSON: o.JSON, JUnit: o.JUnit, Markdown: o.Markdown, HTML: o.HTML}
	if err := out.check(""); err != nil {
		return err
	}
	parts := make([]reports.Results, 0, len(o.Inputs))
	for _, path := range o.Inputs {
		f, err := infile.Open("report merge", path, infile.Report)
		if err != nil {
			return err
		}
		r, err := reports.ReadJSON(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("report merge %s: %w", path, err)
		}
		parts = append(parts, r)
	}
	res, err := reports.Merge(parts)
	if err != nil {
		return err
	}
	color := o.IO.Terminal && !o.NoColor && os.Getenv("NO_COLOR") == ""
	if err := writeConsole(o.IO.Out, res, o.Console, color, os.Getenv("GITHUB_ACTIONS") == "true"); err != nil {
		return err
	}
	if err := out.write(res); err != nil {
		return err
	}
	if res.Failed() {
		return errChecksFailed
	}
	return nil
}
