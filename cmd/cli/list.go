package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/suites"
)

// NewCmdList builds `list`: the check catalog as a table or JSON.
func NewCmdList(streams IO) *cobra.Command {
	var asJSON, asMarkdown bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every check: ID, severity, area, profiles, reference, title",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			cat := suites.FullCatalog()
			if asJSON {
				enc := json.NewEncoder(streams.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(cat)
			}
			if asMarkdown {
				return writeCatalogMarkdown(streams.Out, cat)
			}
			tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tAREA\tPROFILES\tTITLE\tREFERENCE")
			for _, c := range cat {
				profiles := make([]string, len(c.Profiles))
				for i, p := range c.Profiles {
					profiles[i] = string(p)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Severity, c.Area, strings.Join(profiles, ","), c.Title, c.Reference)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&asMarkdown, "markdown", false, "print a Markdown table (the README's catalog)")
	return cmd
}

// writeCatalogMarkdown prints the catalog as the README's table: each
// check's severity (the highest status it reaches), its prerequisites, and
// after the table the FAIL checks documented to warn, and when.
func writeCatalogMarkdown(w io.Writer, cat check.Catalog) error {
	var b strings.Builder
	cell := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	b.WriteString("| ID | severity | area | profiles | check | needs | reference |\n|---|---|---|---|---|---|---|\n")
	var warns []string
	for _, c := range cat {
		profiles := make([]string, len(c.Profiles))
		for i, p := range c.Profiles {
			profiles[i] = string(p)
		}
		sev := string(c.Severity)
		if c.WarnsWhen != "" {
			sev += "¹"
			warns = append(warns, fmt.Sprintf("%s warns when %s.", c.ID, cell(c.WarnsWhen)))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", c.ID, sev, c.Area, strings.Join(profiles, ", "),
			cell(c.Title), strings.Join(c.Requires, ", "), cell(c.Reference))
	}
	if len(warns) > 0 {
		b.WriteString("\n¹ The FAIL checks that may warn instead, and when: " + strings.Join(warns, " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
