package gcp

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/jwkset"
)

// Limits of a provider, from the provider REST reference (Oidc,
// attributeMapping, attributeCondition).
const (
	maxAudiences     = 10
	maxAudienceLen   = 256
	maxCustomAttrs   = 50
	maxAttrNameLen   = 100
	maxMappingLen    = 2048
	maxConditionLen  = 4096
	maxProviderBytes = 1 << 20
	// subjectKey and its limit: google.subject is at most 127 bytes.
	subjectKey      = "google.subject"
	maxSubjectBytes = 127
	// maxMappedBytes is the limit on all mapped attributes together (8 KB).
	maxMappedBytes = 8 << 10
	// resourcePrefix starts the provider's audience when allowedAudiences is empty.
	resourcePrefix = "//iam.googleapis.com/"
)

// googleKeys are the google.* attributes a mapping may set.
var googleKeys = []string{"google.subject", "google.groups", "google.display_name", "google.profile_photo", "google.posix_username"}

var (
	// attrName is a custom attribute's name: attribute.[a-z0-9_]{1,100}.
	attrName = regexp.MustCompile(`^[a-z0-9_]{1,100}$`)
	// resourceName is a provider's full resource name, with a project number.
	resourceName = regexp.MustCompile(`^projects/([0-9]+)/locations/global/workloadIdentityPools/([a-z0-9-]{4,32})/providers/([a-z0-9-]{4,32})$`)
)

// Provider is a workload identity pool provider as gcloud iam
// workload-identity-pools providers describe --format=json prints it, with
// what was assumed for a run without the file.
type Provider struct {
	Name  string `json:"name"`
	State string `json:"state"`
	// Disabled is the provider's disabled flag.
	Disabled bool `json:"disabled"`
	OIDC     struct {
		IssuerURI        string   `json:"issuerUri"`
		AllowedAudiences []string `json:"allowedAudiences"`
		// JWKSJSON is the uploaded key set, a JSON document in a string.
		JWKSJSON string `json:"jwksJson"`
	} `json:"oidc"`
	AttributeMapping   map[string]string `json:"attributeMapping"`
	AttributeCondition string            `json:"attributeCondition"`
	// Assumed says what was not given (no file).
	Assumed []string `json:"-"`
	// mapping and condition are the compiled expressions.
	mapping   map[string]*program
	condition *program
}

// defaultAudience is the audience of a file-less run without --audience.
const defaultAudience = "sts.amazonaws.com"

// providerOf reads the target's provider: the file, or without it a
// provider assumed for the probed issuer and the expected audience.
func providerOf(in evidence.Input) (*Provider, error) {
	rp, _ := in.Party(Name)
	f, ok := rp.Files[FlagProvider]
	if !ok {
		aud := in.Audience
		if aud == "" {
			aud = defaultAudience
		}
		p := &Provider{State: "ACTIVE", AttributeMapping: map[string]string{subjectKey: "assertion.sub"}}
		p.OIDC.IssuerURI, p.OIDC.AllowedAudiences = in.Issuer, []string{aud}
		p.Assumed = []string{fmt.Sprintf("no --%s: a provider with issuerUri the probed issuer, allowedAudiences [%s], attributeMapping google.subject=assertion.sub, no attributeCondition and no jwksJson", FlagProvider, aud)}
		if err := p.compile(); err != nil {
			return nil, err
		}
		return p, nil
	}
	p, err := parsed.Get(f.Body, parseProvider)
	if err != nil {
		return nil, fmt.Errorf("--%s %s: %w", FlagProvider, f.Path, err)
	}
	return p, nil
}

// parsed remembers the providers parsed from a file body (a pure cache:
// every judge reads the provider, and compiling CEL is the costly part).
// What it returns is shared and never modified.
var parsed jwkset.Memo[*Provider]

// parseProvider decodes and validates the describe output.
func parseProvider(b []byte) (*Provider, error) {
	if len(b) > maxProviderBytes {
		return nil, fmt.Errorf("%d bytes, over the %d this reads", len(b), maxProviderBytes)
	}
	var p Provider
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("not the JSON of a provider: %w", err)
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if err := p.compile(); err != nil {
		return nil, err
	}
	return &p, nil
}

// validate applies the provider REST reference's limits.
func (p *Provider) validate() error {
	if p.OIDC.IssuerURI == "" {
		return fmt.Errorf("oidc.issuerUri is missing: not an OIDC provider")
	}
	if !resourceName.MatchString(p.Name) {
		return fmt.Errorf("name %q is not projects/<project NUMBER>/locations/global/workloadIdentityPools/<pool>/providers/<provider>", clip(p.Name, 200))
	}
	if n := len(p.OIDC.AllowedAudiences); n > maxAudiences {
		return fmt.Errorf("oidc.allowedAudiences has %d values, over GCP's %d", n, maxAudiences)
	}
	for _, a := range p.OIDC.AllowedAudiences {
		if a == "" || utf8.RuneCountInString(a) > maxAudienceLen {
			return fmt.Errorf("oidc.allowedAudiences value %q is empty or over GCP's %d characters", clip(a, 60), maxAudienceLen)
		}
	}
	if _, ok := p.AttributeMapping[subjectKey]; !ok {
		return fmt.Errorf("attributeMapping has no google.subject: GCP requires it for an OIDC provider (e.g. google.subject=assertion.sub)")
	}
	custom := 0
	for k, expr := range p.AttributeMapping {
		switch name, ok := strings.CutPrefix(k, "attribute."); {
		case ok:
			custom++
			if !attrName.MatchString(name) {
				return fmt.Errorf("attributeMapping key %q: a custom attribute name is [a-z0-9_], at most %d characters", clip(k, 120), maxAttrNameLen)
			}
		case !slices.Contains(googleKeys, k):
			return fmt.Errorf("attributeMapping key %q is neither attribute.<name> nor one of %s", clip(k, 120), strings.Join(googleKeys, ", "))
		}
		if len(expr) > maxMappingLen {
			return fmt.Errorf("attributeMapping %s: the expression is %d characters, over GCP's %d", k, len(expr), maxMappingLen)
		}
	}
	if custom > maxCustomAttrs {
		return fmt.Errorf("attributeMapping has %d custom attributes, over GCP's %d", custom, maxCustomAttrs)
	}
	if len(p.AttributeCondition) > maxConditionLen {
		return fmt.Errorf("attributeCondition is %d characters, over GCP's %d", len(p.AttributeCondition), maxConditionLen)
	}
	return nil
}

// compile compiles the mapping and the condition.
func (p *Provider) compile() error {
	menv, err := mappingEnv()
	if err != nil {
		return err
	}
	p.mapping = map[string]*program{}
	for _, k := range slices.Sorted(maps.Keys(p.AttributeMapping)) {
		prg, err := compile(menv, p.AttributeMapping[k], false)
		if err != nil {
			return fmt.Errorf("attributeMapping %s %q %w", k, clip(p.AttributeMapping[k], 80), err)
		}
		p.mapping[k] = prg
	}
	if p.AttributeCondition == "" {
		return nil
	}
	cenv, err := conditionEnv()
	if err != nil {
		return err
	}
	if p.condition, err = compile(cenv, p.AttributeCondition, true); err != nil {
		return fmt.Errorf("attributeCondition %q %w", clip(p.AttributeCondition, 80), err)
	}
	return nil
}

// Audiences are the aud values GCP accepts: allowedAudiences, or with none
// the provider's full resource name with and without https:.
func (p *Provider) Audiences() []string {
	if len(p.OIDC.AllowedAudiences) > 0 {
		return p.OIDC.AllowedAudiences
	}
	if p.Name == "" {
		return nil
	}
	return []string{resourcePrefix + p.Name, "https:" + resourcePrefix + p.Name}
}

// clip shortens s to at most n bytes for a message, on a character
// boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
