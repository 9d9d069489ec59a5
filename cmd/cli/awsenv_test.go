package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oidc-conformance/oidc-conformance/fixtures/issuer"
)

// messages reads a --json report: status and message by check ID.
func messages(t *testing.T, path string) map[string][2]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Targets []struct {
			Results []struct{ ID, Status, Message string }
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	out := map[string][2]string{}
	for _, tg := range r.Targets {
		for _, res := range tg.Results {
			out[res.ID] = [2]string{res.Status, res.Message}
		}
	}
	return out
}

// TestPodDefaults runs as in an IRSA pod: the role from AWS_ROLE_ARN, the
// session name from AWS_ROLE_SESSION_NAME, the token from
// AWS_WEB_IDENTITY_TOKEN_FILE (the mock stands for STS), and the report says
// where each came from; --duration-seconds over the role's
// MaxSessionDuration is STS's ValidationError, and get-role JSON raising it
// makes the same exchange pass, IAM-004 showing the maximum.
func TestPodDefaults(t *testing.T) {
	srv, args := fixture(t, "eks")
	raw, err := srv.MintToken(issuer.TokenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(raw), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"AWS_WEB_IDENTITY_TOKEN_FILE=" + tokenFile, "AWS_ROLE_ARN=arn:aws:iam::111122223333:role/app",
		"AWS_ROLE_SESSION_NAME=pod-session", "AWS_CONTAINER_CREDENTIALS_FULL_URI="}
	r := cliEnv(t, env, append([]string{"run", "--sts", "mock", "--json", dir + "/a.json"}, args...)...)
	m := messages(t, dir+"/a.json")
	if r.code != ExitPass || m["STS-001"][0] != "passed" ||
		!strings.Contains(m["STS-001"][1], "role arn from AWS_ROLE_ARN; session name from AWS_ROLE_SESSION_NAME") ||
		!strings.Contains(m["STS-001"][1], "/app/pod-session") {
		t.Errorf("pod defaults: exit %d, STS-001 %v\n%s", r.code, m["STS-001"], r.stderr)
	}
	if !strings.Contains(m["IAM-011"][1], "AWS_WEB_IDENTITY_TOKEN_FILE="+tokenFile) {
		t.Errorf("IAM-011 %v does not name the pod's token file", m["IAM-011"])
	}

	r = cliEnv(t, env, append([]string{"run", "--sts", "mock", "--duration-seconds", "7200", "--json", dir + "/b.json"}, args...)...)
	m = messages(t, dir+"/b.json")
	if r.code != ExitFail || m["STS-001"][0] != "failed" || !strings.Contains(m["STS-001"][1], "ValidationError") ||
		!strings.Contains(m["STS-001"][1], "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.") {
		t.Errorf("duration over the maximum: exit %d, STS-001 %v", r.code, m["STS-001"])
	}

	policy := filepath.Join(dir, "get-role.json")
	host := strings.TrimPrefix(srv.IssuerURL(), "https://")
	doc := `{"Role":{"RoleName":"app","MaxSessionDuration":7200,"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
		`"Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/` + host + `"},"Action":"sts:AssumeRoleWithWebIdentity",` +
		`"Condition":{"StringEquals":{"` + host + `:aud":"sts.amazonaws.com","` + host + `:sub":"system:serviceaccount:default:my-sa"}}}]}}}`
	if err := os.WriteFile(policy, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	r = cliEnv(t, env, append([]string{"run", "--sts", "mock", "--duration-seconds", "7200", "--trust-policy", policy, "--json", dir + "/c.json"}, args...)...)
	m = messages(t, dir+"/c.json")
	if r.code != ExitPass || !strings.Contains(m["IAM-004"][1], "MaxSessionDuration is 7200s") {
		t.Errorf("raised maximum: exit %d, IAM-004 %v, STS-001 %v", r.code, m["IAM-004"], m["STS-001"])
	}
}

func TestSDKEndpoint(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	tests := []struct {
		region       string
		vars         map[string]string
		want, source string
	}{
		{"eu-west-1", nil, "https://sts.eu-west-1.amazonaws.com", "regional endpoint"},
		{"cn-north-1", nil, "https://sts.cn-north-1.amazonaws.com.cn", "partition aws-cn"},
		{"us-gov-west-1", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, "https://sts.us-gov-west-1.amazonaws.com", "regional"},
		{"us-east-1", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, "https://sts.amazonaws.com", "AWS_STS_REGIONAL_ENDPOINTS=legacy"},
		{"us-east-1", map[string]string{"AWS_ENDPOINT_URL": "https://a.test", "AWS_ENDPOINT_URL_STS": "https://sts.test"}, "https://sts.test", "AWS_ENDPOINT_URL_STS"},
		{"us-east-1", map[string]string{"AWS_ENDPOINT_URL": "https://a.test"}, "https://a.test", "AWS_ENDPOINT_URL"},
	}
	for _, tt := range tests {
		got, from, err := sdkEndpoint(tt.region, env(tt.vars))
		if err != nil || got != tt.want || !strings.Contains(from, tt.source) {
			t.Errorf("%s %v: %s from %q (%v), want %s from %q", tt.region, tt.vars, got, from, err, tt.want, tt.source)
		}
	}
	if _, _, err := sdkEndpoint("us-east-1", env(map[string]string{"AWS_ENDPOINT_URL_STS": "http://sts.test"})); err == nil {
		t.Error("an http:// endpoint was accepted")
	}
}

// The pod's role and session name fill the flags left unset.
func TestPodDefaultsAudienceAndSources(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, tt := range []struct {
		o                          RunOptions
		vars                       map[string]string
		audience, role, session    string
		roleFrom, sessionFrom, sts string
	}{
		{RunOptions{RoleARN: "arn:aws-cn:iam::111122223333:role/r"}, nil, "", "arn:aws-cn:iam::111122223333:role/r", "oidc-conformance",
			"--role-arn", "default", ""},
		{RunOptions{}, map[string]string{"AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/r", "AWS_ROLE_SESSION_NAME": "s1"}, "",
			"arn:aws:iam::111122223333:role/r", "s1", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "aws"},
		{RunOptions{SessionName: "flag", Audience: "my-app", STS: "mock"}, map[string]string{"AWS_ROLE_ARN": "arn:aws:iam::111122223333:role/r", "AWS_ROLE_SESSION_NAME": "s1"},
			"my-app", "arn:aws:iam::111122223333:role/r", "flag", "AWS_ROLE_ARN", "--session-name", "mock"},
	} {
		o := tt.o
		from := o.podDefaults(env(tt.vars))
		if o.Audience != tt.audience || o.RoleARN != tt.role || o.SessionName != tt.session || o.STS != tt.sts ||
			from["role_arn"] != tt.roleFrom || from["session_name"] != tt.sessionFrom {
			t.Errorf("%+v with %v: audience %q role %q session %q sts %q, sources %v", tt.o, tt.vars, o.Audience, o.RoleARN, o.SessionName, o.STS, from)
		}
	}
}

// A target's expected audience defaults to the STS of its role's
// partition: China STS's own for an arn:aws-cn: role.
func TestTargetAudienceOfPartition(t *testing.T) {
	for role, want := range map[string]string{
		"arn:aws-cn:iam::111122223333:role/r":     "sts.amazonaws.com.cn",
		"arn:aws-us-gov:iam::111122223333:role/r": "sts.amazonaws.com",
		"": "sts.amazonaws.com",
	} {
		tg, err := buildTarget(targetSpec{Issuer: "https://issuer.test", Profile: "aws", MaxTokenLifetime: "24h", RoleARN: role}, 0,
			func(f string) string { return f })
		if err != nil || tg.Audience != want {
			t.Errorf("role %q: audience %q (%v), want %q", role, tg.Audience, err, want)
		}
	}
}
