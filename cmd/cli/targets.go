package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/oidc-conformance/oidc-conformance/harness/infile"
)

// maxTargetsFile caps what is read of a --targets file: a fleet of ten
// thousand targets fits in a few MiB.
const maxTargetsFile = 16 << 20

// targetSpec is one entry of a --targets file, as written: every per-target
// setting, each defaulting to its flag. Paths are relative to the file's
// directory (to the working directory for standard input).
type targetSpec struct {
	// Name names the target in reports (default: its issuer); unique.
	Name string `yaml:"name" json:"name"`
	// Issuer is the issuer URL; or give EKSCluster.
	Issuer string `yaml:"issuer" json:"issuer"`
	// EKSCluster is a file holding what `aws eks describe-cluster` prints;
	// the issuer is cluster.identity.oidc.issuer.
	EKSCluster       string   `yaml:"eks_cluster" json:"eks_cluster"`
	Audience         string   `yaml:"audience" json:"audience"`
	Profile          string   `yaml:"profile" json:"profile"`
	CAFile           string   `yaml:"ca_file" json:"ca_file"`
	Thumbprints      []string `yaml:"thumbprints" json:"thumbprints"`
	Resolve          []string `yaml:"resolve" json:"resolve"`
	MaxTokenLifetime string   `yaml:"max_token_lifetime" json:"max_token_lifetime"`
	TokenFile        string   `yaml:"token_file" json:"token_file"`
	TokenCmd         string   `yaml:"token_cmd" json:"token_cmd"`
	// IAMProvider is what `aws iam get-open-id-connect-provider` prints.
	IAMProvider string `yaml:"iam_provider" json:"iam_provider"`
	// TrustPolicy is the role's trust policy, bare or as `aws iam get-role` prints it.
	TrustPolicy string `yaml:"trust_policy" json:"trust_policy"`
	RoleARN     string `yaml:"role_arn" json:"role_arn"`
}

// readTargetsFile reads --targets: a YAML or JSON list of targetSpec, bare or
// under "targets:". "-" reads in. Unknown fields are errors naming the entry.
func readTargetsFile(path string, in io.Reader) ([]targetSpec, error) {
	dir := "."
	var b []byte
	var err error
	if path == "-" {
		b, err = infile.ReadStream("--targets -", in, infile.Kind{Max: maxTargetsFile}, infile.DefaultWait)
	} else {
		b, err = infile.Read("--targets", path, infile.Kind{Max: maxTargetsFile})
		dir = filepath.Dir(path)
	}
	if err != nil {
		return nil, err
	}
	specs, err := decodeTargets(b)
	if err != nil {
		return nil, fmt.Errorf("--targets %s: %w", path, err)
	}
	if len(specs) == 0 {
		return nil, fmt.Errorf("--targets %s: no target in it", path)
	}
	for i := range specs {
		specs[i].relativeTo(dir)
	}
	return specs, nil
}

// decodeTargets decodes the entries, strictly: a misspelt field is an error
// naming its entry, not a setting silently ignored.
func decodeTargets(b []byte) ([]targetSpec, error) { return decodeEntries[targetSpec](b, "targets") }

// decodeEntries decodes a YAML (or JSON) list of T, bare or under key:,
// strictly; an error names the entry (and its name: when it has one).
func decodeEntries[T any](b []byte, key string) ([]T, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("not YAML or JSON: %w", err)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	list := root.Content[0]
	if list.Kind == yaml.MappingNode {
		if len(list.Content) != 2 || list.Content[0].Value != key {
			return nil, fmt.Errorf("want a list (or a mapping with only a %s: list); line %d: field %s not found", key, list.Line, list.Content[0].Value)
		}
		list = list.Content[1]
	}
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("want a list of %s (or a mapping with a %s: list)", key, key)
	}
	out := make([]T, len(list.Content))
	for i, n := range list.Content {
		if err := decodeStrict(n, &out[i]); err != nil {
			return nil, fmt.Errorf("entry %d%s: %w", i+1, nameOf(n), err)
		}
	}
	return out, nil
}

// decodeStrict decodes n into v, refusing keys v's struct has no yaml tag
// for; errors keep the file's line numbers.
func decodeStrict(n *yaml.Node, v any) error {
	if n.Kind == yaml.MappingNode {
		known := yamlKeys(reflect.TypeOf(v).Elem())
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i]; !known[k.Value] {
				return fmt.Errorf("line %d: field %s not found (known: %s)", k.Line, k.Value, strings.Join(slices.Sorted(maps.Keys(known)), ", "))
			}
		}
	}
	if err := n.Decode(v); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return errors.New(strings.Join(te.Errors, "; "))
		}
		return err
	}
	return nil
}

// yamlKeys are the yaml names of a struct's fields.
func yamlKeys(t reflect.Type) map[string]bool {
	keys := map[string]bool{}
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" {
			keys[name] = true
		}
	}
	return keys
}

// nameOf is ` ("name")` for an entry that has a name, for error messages.
func nameOf(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "name" {
			return fmt.Sprintf(" (%q)", n.Content[i+1].Value)
		}
	}
	return ""
}

// relativeTo resolves the entry's relative paths against dir.
func (s *targetSpec) relativeTo(dir string) {
	for _, p := range []*string{&s.EKSCluster, &s.CAFile, &s.TokenFile, &s.IAMProvider, &s.TrustPolicy} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
}

// eksIssuer reads the issuer from what `aws eks describe-cluster` prints
// (errors name the path; the caller names the field).
func eksIssuer(path string) (string, error) {
	b, err := infile.Read("", path, infile.JSON)
	if err != nil {
		return "", err
	}
	var out struct {
		Cluster struct {
			Name     string `json:"name"`
			Identity struct {
				OIDC struct {
					Issuer string `json:"issuer"`
				} `json:"oidc"`
			} `json:"identity"`
		} `json:"cluster"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return "", fmt.Errorf("%s: not the JSON of aws eks describe-cluster: %w", path, err)
	}
	if out.Cluster.Identity.OIDC.Issuer == "" {
		return "", fmt.Errorf("%s: no cluster.identity.oidc.issuer (is the cluster's OIDC issuer enabled?)", path)
	}
	return out.Cluster.Identity.OIDC.Issuer, nil
}
