package reports

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// junitSchema is the schema Jenkins' xUnit plugin validates against; it lives
// in the project's shared folder, next to the repository, not inside it.
const junitSchema = "../../shared/testdata/junit-10.xsd"

func TestJUnitValidatesAgainstSchema(t *testing.T) {
	if _, err := os.Stat(junitSchema); err != nil {
		t.Skipf("JUnit schema %s not found (it is in the project's ../shared, absent from a plain clone): %v", junitSchema, err)
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian/Ubuntu: apt-get install libxml2-utils); skipping JUnit schema validation")
	}
	// The writer's output now, not the golden file on disk: TestWritersGolden
	// holds the two equal, and this way -update cannot validate a stale file.
	for _, in := range inputs(t) {
		t.Run(in.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJUnit(&b, in.r); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "junit-"+in.name+".xml")
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--schema", junitSchema, path).CombinedOutput()
			if err != nil {
				t.Errorf("xmllint rejects the JUnit output for %s: %v\n%s", in.name, err, out)
			}
		})
	}
}

// The escaping round-trips: an XML parser gets back every message exactly,
// except characters XML cannot hold, which become U+FFFD.
func TestJUnitEscaping(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, FromRun(fixtureOutcome(), testCatalog(t))); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suites []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("output is not XML: %v", err)
	}
	f := doc.Suites[0].Cases[2].Failure
	if f == nil {
		t.Fatalf("testcase %q has no failure", doc.Suites[0].Cases[2].Name)
	}
	want := strings.ReplaceAll(nastyMessage, "\x1b", "\uFFFD")
	if f.Message != want {
		t.Errorf("failure message = %q, want %q", f.Message, want)
	}
	if !strings.HasPrefix(f.Body, want+"\n\nfix: Set \"issuer\"") {
		t.Errorf("failure body = %q, want the message then the fix", f.Body)
	}
}
