// Package reports turns the Ginkgo report of a conformance run into Results,
// one per check and target, and renders them for people and machines: a
// console listing, JUnit XML, JSON and Markdown.
//
// The runner encodes each check as one It spec per target (see FromGinkgo);
// the writers never look at Ginkgo types, so a Results read back from JSON
// renders exactly like one built from a live run.
package reports
