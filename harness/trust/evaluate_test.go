package trust

import (
	"strings"
	"testing"
)

// policyWith returns a one-statement Allow policy for testARN with the given
// Condition element ("" for none).
func policyWith(t *testing.T, condition string) *Policy {
	t.Helper()
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + testARN +
		`"},"Action":"sts:AssumeRoleWithWebIdentity"`
	if condition != "" {
		doc += `,"Condition":` + condition
	}
	p, err := Parse([]byte(doc + `}]}`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

// claims builds a request's claims: sub and azp single-valued, aud and amr as given.
func claims(sub string, aud, amr []string) map[string][]string {
	c := map[string][]string{"aud": aud, "amr": amr}
	if sub != "" {
		c["sub"] = []string{sub}
	}
	return c
}

const sa = "system:serviceaccount:default:app"

var sts = []string{"sts.amazonaws.com"}

func TestEvaluateOperators(t *testing.T) {
	k := func(claim string) string { return `"` + testHost + `:` + claim + `"` }
	tests := []struct {
		name      string
		condition string
		claims    map[string][]string
		allowed   bool
		reason    string // substring of the reason when denied
	}{
		{"no condition", ``, claims(sa, sts, nil), true, ""},
		{"StringEquals match", `{"StringEquals":{` + k("sub") + `:"` + sa + `"}}`, claims(sa, sts, nil), true, ""},
		{"StringEquals mismatch", `{"StringEquals":{` + k("sub") + `:"system:serviceaccount:default:other"}}`, claims(sa, sts, nil), false,
			`the token's sub is "` + sa + `"`},
		{"StringEquals one of list", `{"StringEquals":{` + k("sub") + `:["x","` + sa + `"]}}`, claims(sa, sts, nil), true, ""},
		{"StringEquals case differs", `{"StringEquals":{` + k("sub") + `:"System:ServiceAccount:default:app"}}`, claims(sa, sts, nil), false,
			"differs from \"System:ServiceAccount:default:app\" only in case"},
		{"StringEquals with star", `{"StringEquals":{` + k("sub") + `:"system:serviceaccount:default:*"}}`, claims(sa, sts, nil), false,
			"StringEquals does not expand * or ?; use StringLike"},
		{"StringEquals missing key", `{"StringEquals":{` + k("azp") + `:"x"}}`, claims(sa, sts, nil), false,
			"the token has no azp claim"},
		{"StringNotEquals holds", `{"StringNotEquals":{` + k("sub") + `:"system:serviceaccount:kube-system:admin"}}`, claims(sa, sts, nil), true, ""},
		{"StringNotEquals fails", `{"StringNotEquals":{` + k("sub") + `:["a","` + sa + `"]}}`, claims(sa, sts, nil), false, "which the condition excludes"},
		{"StringNotEquals missing key holds", `{"StringNotEquals":{` + k("azp") + `:"x"}}`, claims(sa, sts, nil), true, ""},
		{"StringEqualsIgnoreCase", `{"StringEqualsIgnoreCase":{` + k("sub") + `:"SYSTEM:SERVICEACCOUNT:DEFAULT:APP"}}`, claims(sa, sts, nil), true, ""},
		{"StringEqualsIgnoreCase mismatch", `{"StringEqualsIgnoreCase":{` + k("sub") + `:"SYSTEM:SERVICEACCOUNT:DEFAULT:OTHER"}}`, claims(sa, sts, nil), false, "sub is"},
		{"StringNotEqualsIgnoreCase holds", `{"StringNotEqualsIgnoreCase":{` + k("sub") + `:"X"}}`, claims(sa, sts, nil), true, ""},
		{"StringNotEqualsIgnoreCase fails", `{"StringNotEqualsIgnoreCase":{` + k("sub") + `:"SYSTEM:SERVICEACCOUNT:DEFAULT:APP"}}`, claims(sa, sts, nil), false, "excludes"},
		{"StringLike star", `{"StringLike":{` + k("sub") + `:"system:serviceaccount:default:*"}}`, claims(sa, sts, nil), true, ""},
		{"StringLike question", `{"StringLike":{` + k("sub") + `:"system:serviceaccount:default:ap?"}}`, claims(sa, sts, nil), true, ""},
		{"StringLike is case-sensitive", `{"StringLike":{` + k("sub") + `:"system:serviceaccount:DEFAULT:*"}}`, claims(sa, sts, nil), false, "sub is"},
		{"StringLike wrong namespace", `{"StringLike":{` + k("sub") + `:"system:serviceaccount:prod:*"}}`, claims(sa, sts, nil), false,
			`service account namespace "default", the condition wants "prod"`},
		{"StringNotLike holds", `{"StringNotLike":{` + k("sub") + `:"system:serviceaccount:kube-system:*"}}`, claims(sa, sts, nil), true, ""},
		{"StringNotLike fails", `{"StringNotLike":{` + k("sub") + `:"system:serviceaccount:*"}}`, claims(sa, sts, nil), false, "excludes"},
		{"Null true holds when absent", `{"Null":{` + k("azp") + `:"true"}}`, claims(sa, sts, nil), true, ""},
		{"Null true fails when present", `{"Null":{` + k("sub") + `:"true"}}`, claims(sa, sts, nil), false, "the key is present"},
		{"Null false holds when present", `{"Null":{` + k("aud") + `:false}}`, claims(sa, sts, nil), true, ""},
		{"Null false fails when absent", `{"Null":{` + k("amr") + `:"false"}}`, claims(sa, sts, nil), false, "the key is absent"},
		{"IfExists absent holds", `{"StringEqualsIfExists":{` + k("azp") + `:"x"}}`, claims(sa, sts, nil), true, ""},
		{"IfExists present mismatch", `{"StringEqualsIfExists":{` + k("sub") + `:"x"}}`, claims(sa, sts, nil), false, "sub is"},
		{"all conditions must hold", `{"StringEquals":{` + k("aud") + `:"sts.amazonaws.com",` + k("sub") + `:"x"}}`, claims(sa, sts, nil), false,
			`StringEquals "` + testHost + `:sub" "x" fails`},
		{"first failing condition named", `{"StringLike":{` + k("sub") + `:"nope*"},"StringEquals":{` + k("aud") + `:"nope"}}`, claims(sa, sts, nil), false,
			`StringLike "` + testHost + `:sub" "nope*" fails`},
		{"condition key names are case-insensitive", `{"StringEquals":{"` + strings.ToLower(testHost) + `:SUB":"` + sa + `"}}`, claims(sa, sts, nil), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := policyWith(t, tt.condition).Evaluate(Request{ProviderARN: testARN, Claims: tt.claims})
			if d.Allowed != tt.allowed {
				t.Fatalf("Allowed = %v, want %v; reason: %s", d.Allowed, tt.allowed, d.Reason)
			}
			if d.Statement != 0 {
				t.Errorf("Statement = %d, want 0", d.Statement)
			}
			if !strings.Contains(d.Reason, tt.reason) {
				t.Errorf("reason %q does not contain %q", d.Reason, tt.reason)
			}
		})
	}
}

func TestEvaluateMultiValued(t *testing.T) {
	k := func(claim string) string { return `"` + testHost + `:` + claim + `"` }
	two := []string{"sts.amazonaws.com", "other"}
	tests := []struct {
		name      string
		condition string
		aud, amr  []string
		allowed   bool
		reason    string
	}{
		{"StringEquals any of several aud", `{"StringEquals":{` + k("aud") + `:"sts.amazonaws.com"}}`, two, nil, true, ""},
		{"StringEquals none of several aud", `{"StringEquals":{` + k("aud") + `:"x"}}`, two, nil, false,
			`the token's aud has the values ["sts.amazonaws.com", "other"]`},
		{"StringNotEquals one aud excluded", `{"StringNotEquals":{` + k("aud") + `:"other"}}`, two, nil, false, "excludes"},
		{"ForAnyValue match", `{"ForAnyValue:StringEquals":{` + k("aud") + `:"other"}}`, two, nil, true, ""},
		{"ForAnyValue no match", `{"ForAnyValue:StringEquals":{` + k("aud") + `:"x"}}`, two, nil, false, "aud is"},
		{"ForAnyValue absent key fails", `{"ForAnyValue:StringLike":{` + k("amr") + `:"*"}}`, sts, nil, false, "the token has no amr claim"},
		{"ForAllValues all match", `{"ForAllValues:StringEquals":{` + k("aud") + `:["sts.amazonaws.com","other"]}}`, two, nil, true, ""},
		{"ForAllValues one outside", `{"ForAllValues:StringEquals":{` + k("aud") + `:"sts.amazonaws.com"}}`, two, nil, false,
			`"other" does not satisfy it`},
		{"ForAllValues absent key holds", `{"ForAllValues:StringEquals":{` + k("amr") + `:"authenticated"}}`, sts, nil, true, ""},
		{"ForAnyValue amr", `{"ForAnyValue:StringLike":{` + k("amr") + `:"auth*"}}`, sts, []string{"unauthenticated", "authenticated"}, true, ""},
		{"ForAllValues StringNotEquals", `{"ForAllValues:StringNotEquals":{` + k("amr") + `:"unauthenticated"}}`, sts,
			[]string{"authenticated", "unauthenticated"}, false, `"unauthenticated" does not satisfy it`},
		{"ForAnyValue StringNotLike", `{"ForAnyValue:StringNotLike":{` + k("amr") + `:"un*"}}`, sts,
			[]string{"authenticated", "unauthenticated"}, true, ""},
		{"ForAnyValue IfExists absent", `{"ForAnyValue:StringEqualsIfExists":{` + k("amr") + `:"x"}}`, sts, nil, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := policyWith(t, tt.condition).Evaluate(Request{ProviderARN: testARN, Claims: claims(sa, tt.aud, tt.amr)})
			if d.Allowed != tt.allowed {
				t.Fatalf("Allowed = %v, want %v; reason: %s", d.Allowed, tt.allowed, d.Reason)
			}
			if !strings.Contains(d.Reason, tt.reason) {
				t.Errorf("reason %q does not contain %q", d.Reason, tt.reason)
			}
		})
	}
}

func TestEvaluateStatements(t *testing.T) {
	allowSub := `{"Effect":"Allow","Principal":{"Federated":"` + testARN + `"},"Action":"sts:AssumeRoleWithWebIdentity",` +
		`"Condition":{"StringLike":{"` + testHost + `:sub":"system:serviceaccount:*"}}}`
	tests := []struct {
		name       string
		statements string
		action     string
		arn        string
		allowed    bool
		statement  int
		reason     string
	}{
		{"allow", allowSub, "", testARN, true, 0, "statement 0 allows sts:AssumeRoleWithWebIdentity"},
		{"deny wins over allow", allowSub + `,{"Sid":"NoDefault","Effect":"Deny","Principal":{"Federated":"` + testARN +
			`"},"Action":"sts:*","Condition":{"StringLike":{"` + testHost + `:sub":"system:serviceaccount:default:*"}}}`,
			"", testARN, false, 1, `statement 1 ("NoDefault") explicitly denies`},
		{"deny first still wins", `{"Effect":"Deny","Principal":"*","Action":"*"},` + allowSub, "", testARN, false, 0, "explicitly denies"},
		{"deny whose condition fails does not apply", allowSub + `,{"Effect":"Deny","Principal":"*","Action":"*",` +
			`"Condition":{"StringEquals":{"` + testHost + `:sub":"x"}}}`, "", testARN, true, 0, "allows"},
		{"deny for other principal does not apply", allowSub + `,{"Effect":"Deny","Principal":{"Federated":"other"},"Action":"*"}`,
			"", testARN, true, 0, "allows"},
		{"second allow matches", `{"Effect":"Allow","Principal":{"Federated":"` + testARN + `"},"Action":"sts:AssumeRoleWithWebIdentity",` +
			`"Condition":{"StringEquals":{"` + testHost + `:sub":"x"}}},` + allowSub, "", testARN, true, 1, "statement 1 allows"},
		{"wrong principal", allowSub, "", "arn:aws:iam::123456789012:oidc-provider/other.example.com", false, -1,
			"no Allow statement names the federated principal arn:aws:iam::123456789012:oidc-provider/other.example.com"},
		{"principal differs in case", allowSub, "", strings.ToLower(testARN), false, -1, "differs from it only in case"},
		{"AWS principal only", `{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}`,
			"", testARN, false, -1, `the Allow statements name "AWS:arn:aws:iam::123456789012:root"`},
		{"wrong action", `{"Effect":"Allow","Principal":{"Federated":"` + testARN + `"},"Action":"sts:AssumeRole"}`, "", testARN, false, 0,
			`its Action "sts:AssumeRole" does not cover sts:AssumeRoleWithWebIdentity`},
		{"action wildcard and case", `{"Effect":"Allow","Principal":{"Federated":"` + testARN + `"},"Action":"STS:AssumeRoleWith*"}`,
			"", testARN, true, 0, "allows"},
		{"action question mark", `{"Effect":"Allow","Principal":{"Federated":"` + testARN + `"},"Action":"sts:AssumeRoleWithWebIdentit?"}`,
			"", testARN, true, 0, "allows"},
		{"other action asked", allowSub, "sts:TagSession", testARN, false, 0, "does not cover sts:TagSession"},
		{"everyone principal", `{"Effect":"Allow","Principal":"*","Action":"*"}`, "", testARN, true, 0, "with no conditions"},
		{"federated star", `{"Effect":"Allow","Principal":{"Federated":"*"},"Action":"*"}`, "", testARN, true, 0, "allows"},
		{"only deny", `{"Effect":"Deny","Principal":{"Federated":"other"},"Action":"*"}`, "", testARN, false, -1, "no Allow statement"},
		{"action case, no wildcard", `{"Effect":"Allow","Principal":{"Federated":"` + testARN + `"},"Action":"STS:assumerolewithwebidentity"}`,
			"", testARN, true, 0, "allows"},
		{"action differs by a non-ASCII fold", `{"Effect":"Allow","Principal":{"Federated":"` + testARN + `"},"Action":"sts:TagSe\u017fsion"}`,
			"sts:TagSession", testARN, false, 0, "does not cover sts:TagSession"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(`{"Version":"2012-10-17","Statement":[` + tt.statements + `]}`))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			d := p.Evaluate(Request{Action: tt.action, ProviderARN: tt.arn, Claims: claims(sa, sts, nil)})
			if d.Allowed != tt.allowed || d.Statement != tt.statement {
				t.Fatalf("got Allowed=%v Statement=%d, want %v %d; reason: %s", d.Allowed, d.Statement, tt.allowed, tt.statement, d.Reason)
			}
			if !strings.Contains(d.Reason, tt.reason) {
				t.Errorf("reason %q does not contain %q", d.Reason, tt.reason)
			}
			want := d
			if d.Allowed {
				want.Reason = ""
			}
			if q := p.Decide(Request{Action: tt.action, ProviderARN: tt.arn, Claims: claims(sa, sts, nil)}); q != want {
				t.Errorf("Decide gave %+v, want Evaluate's %+v without an allowing reason", q, want)
			}
		})
	}
}

// The classic mistakes users make in IRSA trust policies, each denied with
// a reason that points at the mistake.
func TestEvaluateClassicMistakes(t *testing.T) {
	tests := []struct {
		name, condition, reason string
	}{
		{"https:// in the condition key", `{"StringEquals":{"https://` + testHost + `:sub":"` + sa + `"}}`,
			"condition keys name the provider without https:// (" + testHost + ":sub)"},
		{"condition key for another cluster", `{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/FFFF:sub":"` + sa + `"}}`,
			`the token's provider is "` + testHost + `", the key names "oidc.eks.us-east-1.amazonaws.com/id/FFFF"`},
		{"wrong namespace in sub", `{"StringEquals":{"` + testHost + `:sub":"system:serviceaccount:prod:app"}}`,
			`service account namespace "default", the condition wants "prod"`},
		{"case difference in sub", `{"StringEquals":{"` + testHost + `:sub":"system:serviceaccount:default:App"}}`,
			"only in case: StringEquals is case-sensitive"},
		{"audience of another client", `{"StringEquals":{"` + testHost + `:aud":"sts.amazonaws.com.cn"}}`,
			`the token's aud is "sts.amazonaws.com"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := policyWith(t, tt.condition).Evaluate(Request{ProviderARN: testARN, Claims: claims(sa, sts, nil)})
			if d.Allowed {
				t.Fatalf("allowed: %s", d.Reason)
			}
			if !strings.Contains(d.Reason, tt.reason) {
				t.Errorf("reason %q does not contain %q", d.Reason, tt.reason)
			}
		})
	}
}

func TestEvaluateNilPolicy(t *testing.T) {
	var p *Policy
	if d := p.Evaluate(Request{ProviderARN: testARN}); d.Allowed || d.Statement != -1 {
		t.Errorf("nil policy: %+v", d)
	}
}

func TestProviderHelpers(t *testing.T) {
	if got := ProviderARN("123456789012", "https://"+testHost); got != testARN {
		t.Errorf("ProviderARN = %q", got)
	}
	if got := ProviderARN("123456789012", testHost); got != testARN {
		t.Errorf("ProviderARN without scheme = %q", got)
	}
	for arn, want := range map[string]string{testARN: testHost, "arn:aws:iam::1:role/x": "", "oidc-provider/x": "", "": ""} {
		if got := ProviderHostOf(arn); got != want {
			t.Errorf("ProviderHostOf(%q) = %q, want %q", arn, got, want)
		}
	}
}
