package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestExamplesParse keeps examples/ valid YAML with the fields they promise.
func TestExamplesParse(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			dec := yaml.NewDecoder(bytes.NewReader(b))
			var docs []map[string]any
			for {
				var doc map[string]any
				if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					t.Fatalf("parse: %v", err)
				}
				docs = append(docs, doc)
			}
			if len(docs) == 0 {
				t.Fatal("no YAML document")
			}
			if !strings.Contains(string(b), "--junit") || !strings.Contains(string(b), "run") {
				t.Error("example does not run the harness with a JUnit report")
			}
			if docs[0]["kind"] == "Job" {
				if !strings.Contains(string(b), "audience: sts.amazonaws.com") || !strings.Contains(string(b), "AWS_WEB_IDENTITY_TOKEN_FILE") {
					t.Error("the Job lacks the projected token or the IRSA environment")
				}
			}
		})
	}
}
