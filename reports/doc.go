// Package reports turns the runner's verdicts (values, see FromRun) into
// Results, one per check and target, and renders them for people and
// machines: a console listing, JUnit XML, JSON and Markdown. The writers
// never look at Ginkgo types, so a Results read back from JSON (a shard's
// report) renders exactly like one built from a live run.
package reports
