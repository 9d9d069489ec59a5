package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// yamlDocs parses every document of a YAML file.
func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []map[string]any
	for {
		var doc map[string]any
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			return docs
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, doc)
	}
}

// dig walks a parsed YAML document by keys and list indexes.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// shardN is N of a "--shard X/N" argument.
var shardN = regexp.MustCompile(`^\$\(JOB_COMPLETION_INDEX\)/([0-9]+)$`)

// The Indexed Job runs one shard per completion index, and the merge Job
// merges exactly those shards' reports.
func TestFleetIndexedJobExample(t *testing.T) {
	var shardJob, mergeJob map[string]any
	for _, d := range yamlDocs(t, "../../examples/fleet-kubernetes-indexed-job.yaml") {
		if d["kind"] != "Job" {
			continue
		}
		if dig(d, "spec", "completionMode") == "Indexed" {
			shardJob = d
		} else {
			mergeJob = d
		}
	}
	if shardJob == nil || mergeJob == nil {
		t.Fatal("want an Indexed Job and a merge Job")
	}
	completions, _ := dig(shardJob, "spec", "completions").(int)
	args := fmt.Sprint(dig(shardJob, "spec", "template", "spec", "containers", 0, "args"))
	var n int
	for _, a := range dig(shardJob, "spec", "template", "spec", "containers", 0, "args").([]any) {
		if m := shardN.FindStringSubmatch(fmt.Sprint(a)); m != nil {
			n, _ = strconv.Atoi(m[1])
		}
	}
	if n == 0 || n != completions || !strings.Contains(args, "--targets") || !strings.Contains(args, "/reports/shard-$(JOB_COMPLETION_INDEX).json") {
		t.Errorf("shard Job: completions %d, --shard $(JOB_COMPLETION_INDEX)/%d, args %s", completions, n, args)
	}
	merge := fmt.Sprint(dig(mergeJob, "spec", "template", "spec", "containers", 0, "args"))
	if !strings.HasPrefix(merge, "[report merge ") {
		t.Errorf("merge Job args %s, want report merge", merge)
	}
	for i := range completions {
		if !strings.Contains(merge, fmt.Sprintf("/reports/shard-%d.json", i)) {
			t.Errorf("merge Job does not merge shard %d: %s", i, merge)
		}
	}
}

// The Actions matrix has one entry per shard, and a merge job after it.
func TestFleetActionsMatrixExample(t *testing.T) {
	docs := yamlDocs(t, "../../examples/fleet-github-actions.yaml")
	if len(docs) != 1 {
		t.Fatalf("%d documents, want 1", len(docs))
	}
	wf := docs[0]
	matrix, _ := dig(wf, "jobs", "shard", "strategy", "matrix", "shard").([]any)
	var run string
	for i := 0; dig(wf, "jobs", "shard", "steps", i) != nil; i++ {
		if r, ok := dig(wf, "jobs", "shard", "steps", i, "run").(string); ok && strings.Contains(r, "--shard") {
			run = r
		}
	}
	if want := fmt.Sprintf("--shard ${{ matrix.shard }}/%d", len(matrix)); len(matrix) == 0 || !strings.Contains(run, want) {
		t.Errorf("matrix %v, run %q: want %q", matrix, run, want)
	}
	for i, v := range matrix {
		if v != i {
			t.Errorf("matrix entry %d is %v, want %d (shards count from 0)", i, v, i)
		}
	}
	if dig(wf, "jobs", "merge", "needs") != "shard" {
		t.Errorf("merge job needs %v, want shard", dig(wf, "jobs", "merge", "needs"))
	}
	found := false
	for i := 0; dig(wf, "jobs", "merge", "steps", i) != nil; i++ {
		r, _ := dig(wf, "jobs", "merge", "steps", i, "run").(string)
		found = found || strings.Contains(r, "report merge shard-*.json")
	}
	if !found {
		t.Error("the merge job does not run report merge over the shards")
	}
}
