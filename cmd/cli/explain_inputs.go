package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
	"github.com/oidc-conformance/oidc-conformance/harness/iaminput"
	"github.com/oidc-conformance/oidc-conformance/harness/infile"
	"github.com/oidc-conformance/oidc-conformance/harness/partition"
	"github.com/oidc-conformance/oidc-conformance/harness/stsrules"
	"github.com/oidc-conformance/oidc-conformance/harness/token"
	"github.com/oidc-conformance/oidc-conformance/harness/trust"
)

// maxExplainFile caps what explain reads of one input file.
const maxExplainFile = 1 << 20

// explainSessionRE is STS's RoleSessionName pattern (2..64 characters).
var explainSessionRE = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// explainInputs are explain's inputs, read and checked, with where each came
// from. raw is the token: it is judged, never printed.
type explainInputs struct {
	raw      string
	source   string
	observed *evidence.Token

	policy     *trust.Policy
	policyFile string

	provider     stsrules.Provider
	providerNote string
	// keys is nil without --jwks: the signature is not checked.
	keys     stsrules.KeySource
	keysNote string

	account, accountNote string
	// partition is the role's (aws, aws-cn, aws-us-gov): of --role-arn,
	// else of the provider ARN or the trust policy's principal, else aws.
	// The provider's and the assumed role's ARNs are built in it.
	partition partition.Partition
	// providerAccount is the account of the provider ARN in the
	// --iam-provider JSON, "" when it has none.
	providerAccount   string
	roleARN, roleName string
	roleNote, session string

	now     time.Time
	nowNote string
}

// inputs reads and checks every input; its errors are bad input (exit 2).
func (o *ExplainOptions) inputs() (*explainInputs, error) {
	in := &explainInputs{session: o.SessionName}
	if !explainSessionRE.MatchString(o.SessionName) {
		return nil, fmt.Errorf("--session-name %q: want 2..64 characters of [\\w+=,.@-]", o.SessionName)
	}
	in.now, in.nowNote = time.Now().UTC().Truncate(time.Second), "the clock"
	if o.Now != "" {
		t, err := time.Parse(time.RFC3339, o.Now)
		if err != nil {
			return nil, fmt.Errorf("--now %q: want RFC 3339, e.g. 2025-01-02T15:04:05Z", o.Now)
		}
		in.now, in.nowNote = t, "--now"
	}
	if err := in.readToken(o.IO.In, o.TokenFile); err != nil {
		return nil, err
	}
	b, err := readExplainFile("--trust-policy", o.TrustPolicy, nil)
	if err != nil {
		return nil, err
	}
	if in.policy, err = trust.Parse(b); err != nil {
		return nil, fmt.Errorf("--trust-policy %s: %w", o.TrustPolicy, err)
	}
	in.policyFile = o.TrustPolicy
	providerARN, err := in.readProvider(o.IAMProvider)
	if err != nil {
		return nil, err
	}
	if err := in.readKeys(o.JWKS); err != nil {
		return nil, err
	}
	if err := in.chooseAccount(o.RoleARN, providerARN); err != nil {
		return nil, err
	}
	return in, nil
}

// readExplainFile reads one input file ("-" reads stdin when it is given).
func readExplainFile(flag, path string, stdin io.Reader) ([]byte, error) {
	kind := infile.Kind{Max: maxExplainFile}
	switch {
	case path == "":
		return nil, fmt.Errorf("%s: no file given", flag)
	case path == "-" && stdin != nil:
		return infile.ReadStream(flag+" -", stdin, kind, infile.DefaultWait)
	}
	return infile.Read(flag, path, kind)
}

// readToken reads the token; an empty file is bad input, anything else is
// for STS to judge.
func (in *explainInputs) readToken(stdin io.Reader, path string) error {
	b, err := readExplainFile("--token", path, stdin)
	if err != nil {
		return err
	}
	in.raw = strings.TrimSpace(string(b))
	if in.raw == "" {
		return fmt.Errorf("--token %s: the file is empty", path)
	}
	in.source = path
	if path == "-" {
		in.source = "standard input"
	}
	in.observed = token.Observe(in.raw, in.source)
	return nil
}

// readProvider reads --iam-provider, or synthesizes the provider from the
// token. It returns the provider ARN the JSON carries, if any.
func (in *explainInputs) readProvider(path string) (string, error) {
	if path == "" {
		claims := in.claims()
		iss, _ := explainClaims(claims, "iss")
		aud, _ := explainClaims(claims, "aud")
		if len(iss) == 1 {
			in.provider = stsrules.Provider{URL: trust.ProviderHost(iss[0]), ClientIDs: aud}
		}
		in.providerNote = "synthesized from the token (URL = iss, client IDs = aud); give --iam-provider to check the registered one"
		if in.observed.Undecoded {
			in.providerNote = "not synthesized; give --iam-provider to check the registered one"
		}
		return "", nil
	}
	b, err := readExplainFile("--iam-provider", path, nil)
	if err != nil {
		return "", err
	}
	read, err := iaminput.ReadProvider(b)
	if err != nil {
		return "", fmt.Errorf("--iam-provider %s: %w", path, err)
	}
	in.provider = stsrules.Provider{URL: read.URL, ClientIDs: read.ClientIDs, Thumbprints: read.Thumbprints}
	if err := in.provider.Validate(); err != nil {
		return "", fmt.Errorf("--iam-provider %s: IAM provider JSON: %w", path, err)
	}
	in.providerNote = "from " + path
	return read.ARN, nil
}

// readKeys reads --jwks: a JWKS, or a file written by run --save-jwks.
func (in *explainInputs) readKeys(path string) error {
	if path == "" {
		in.keysNote = "signature not checked (no --jwks): the kid and the signature are taken on trust"
		return nil
	}
	b, err := readExplainFile("--jwks", path, nil)
	if err != nil {
		return err
	}
	var saved evidence.Baseline
	if json.Unmarshal(b, &saved) == nil && len(saved.JWKS) > 0 {
		b = saved.JWKS
	}
	if !json.Valid(b) {
		return fmt.Errorf("--jwks %s: not JSON", path)
	}
	keys, kerr := stsrules.ParseJWKS(b)
	if kerr != nil {
		in.keys = explainNoKeys{kerr}
		in.keysNote = fmt.Sprintf("none usable in %s (%v)", path, kerr.Cause)
		return nil
	}
	in.keys = stsrules.StaticKeys(keys)
	kids := make([]string, 0, len(keys))
	for _, k := range keys {
		switch {
		case k.Public == nil:
			kids = append(kids, k.Describe()+" unusable")
		case k.HasID:
			kids = append(kids, fmt.Sprintf("%q", k.ID))
		default:
			kids = append(kids, "(no kid)")
		}
	}
	in.keysNote = fmt.Sprintf("%d from %s, kids %s", len(keys), path, strings.Join(kids, ", "))
	return nil
}

// explainNoKeys is the KeySource of a JWKS file that is not a usable key
// set: every token is refused with the model's answer for it.
type explainNoKeys struct{ err *stsrules.Error }

// Keys implements stsrules.KeySource.
func (n explainNoKeys) Keys(context.Context, stsrules.Provider, bool) ([]stsrules.Key, error) {
	return nil, n.err
}

// chooseAccount settles the account and the role: --role-arn, else the
// provider ARN of the IAM JSON, else the trust policy's Federated principal
// for this provider, else the default account.
func (in *explainInputs) chooseAccount(roleARN, providerARN string) error {
	in.providerAccount = explainAccountOf(providerARN)
	in.roleName, in.roleNote = explainDefaultRole, "no --role-arn: a placeholder name"
	if roleARN != "" {
		r, err := partition.ParseRole(roleARN)
		if err != nil {
			return fmt.Errorf("--role-arn: %w", err)
		}
		in.account, in.accountNote, in.partition = r.Account, "from --role-arn", r.Partition
		in.roleARN, in.roleName, in.roleNote = roleARN, r.Name, "from --role-arn"
		return nil
	}
	federated := iaminput.FederatedARN(in.policy, in.provider.Host())
	switch {
	case providerARN != "":
		in.account, in.accountNote = explainAccountOf(providerARN), "from the provider ARN in the --iam-provider JSON"
		in.partition = partition.OfARN(providerARN)
	case in.provider.URL != "" && iaminput.AccountOf(federated) != "":
		in.account, in.accountNote = iaminput.AccountOf(federated), "from the trust policy's Federated principal (give --role-arn to check it)"
		in.partition = partition.OfARN(federated)
	default:
		in.account, in.accountNote = "123456789012", "assumed: no --role-arn, no provider ARN, no principal for this issuer in the trust policy"
		in.partition = partition.All()[0]
	}
	in.roleARN = "arn:" + in.partition.ID + ":iam::" + in.account + ":role/" + in.roleName
	return nil
}

// explainAccountOf is the 12-digit account of an ARN, "" when it has none.
func explainAccountOf(arn string) string { return iaminput.AccountOf(arn) }

// claims are the token's claims as decoded JSON members, nil when they do
// not decode.
func (in *explainInputs) claims() map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if in.observed == nil || in.observed.ClaimsError != "" || json.Unmarshal(in.observed.Claims, &m) != nil {
		return nil
	}
	return m
}

// explainClaims reads a claim that is a string or an array of strings.
func explainClaims(claims map[string]json.RawMessage, name string) ([]string, error) {
	raw, ok := claims[name]
	if !ok {
		return nil, errors.New("absent")
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, err
	}
	return many, nil
}
