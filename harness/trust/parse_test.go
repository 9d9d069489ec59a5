package trust

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

const (
	testHost = "oidc.eks.us-west-2.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
	testARN  = "arn:aws:iam::123456789012:oidc-provider/" + testHost
)

// eksPolicy is the trust policy eksctl writes for an IRSA role.
const eksPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"Federated": "` + testARN + `"},
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "` + testHost + `:aud": "sts.amazonaws.com",
          "` + testHost + `:sub": "system:serviceaccount:default:app"
        }
      }
    }
  ]
}`

func TestParseForms(t *testing.T) {
	compact := strings.Join(strings.Fields(eksPolicy), "")
	tests := []struct {
		name string
		in   string
	}{
		{"bare", eksPolicy},
		{"statement object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"` + testARN +
			`"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + testHost + `:aud":"sts.amazonaws.com","` +
			testHost + `:sub":"system:serviceaccount:default:app"}}}}`},
		{"get-role output", `{"Role":{"Path":"/","RoleName":"app","RoleId":"AROAEXAMPLE","Arn":"arn:aws:iam::123456789012:role/app",` +
			`"CreateDate":"2024-01-01T00:00:00+00:00","AssumeRolePolicyDocument":` + eksPolicy + `,"MaxSessionDuration":3600}}`},
		{"AssumeRolePolicyDocument object", `{"AssumeRolePolicyDocument":` + eksPolicy + `}`},
		{"AssumeRolePolicyDocument JSON string", `{"AssumeRolePolicyDocument":` + jsonString(compact) + `}`},
		{"AssumeRolePolicyDocument URL-encoded", `{"Role":{"AssumeRolePolicyDocument":"` + url.PathEscape(compact) + `"}}`},
		{"whole document URL-encoded", url.QueryEscape(compact)},
		{"2008 version", strings.Replace(eksPolicy, "2012-10-17", "2008-10-17", 1)},
		{"no version", strings.Replace(eksPolicy, `"Version": "2012-10-17",`, "", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(p.Statements) != 1 {
				t.Fatalf("%d statements, want 1", len(p.Statements))
			}
			st := p.Statements[0]
			if st.Effect != Allow || !reflect.DeepEqual(st.Principal.Federated, []string{testARN}) ||
				!reflect.DeepEqual(st.Actions, []string{ActionAssumeRoleWithWebIdentity}) {
				t.Errorf("statement = %+v", st)
			}
			want := []Condition{
				{Operator: "StringEquals", Test: StringEquals, Key: testHost + ":aud", Provider: testHost, Claim: "aud", Values: []string{"sts.amazonaws.com"}},
				{Operator: "StringEquals", Test: StringEquals, Key: testHost + ":sub", Provider: testHost, Claim: "sub", Values: []string{"system:serviceaccount:default:app"}},
			}
			if !reflect.DeepEqual(st.Conditions, want) {
				t.Errorf("conditions\n got %+v\nwant %+v", st.Conditions, want)
			}
		})
	}
}

func TestParseDetails(t *testing.T) {
	p, err := Parse([]byte(`{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"one","Effect":"Deny",
		"Principal":"*","Action":["sts:*","sts:TagSession"],"Condition":{
		"forallvalues:stringlikeifexists":{"h:AUD":["a*",7,true]},"Null":{"h:amr":false}}},
		{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root"],"Service":"ec2.amazonaws.com","Federated":["a","b"]},"Action":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	st := p.Statements[0]
	if st.Sid != "one" || st.Effect != Deny || !st.Principal.Everyone || len(st.Actions) != 2 {
		t.Errorf("statement 0 = %+v", st)
	}
	c := st.Conditions[0]
	if c.Set != ForAllValues || c.Test != StringLike || !c.IfExists || c.Claim != "aud" || c.Provider != "h" ||
		!reflect.DeepEqual(c.Values, []string{"a*", "7", "true"}) {
		t.Errorf("condition 0 = %+v", c)
	}
	if n := st.Conditions[1]; n.Test != Null || !reflect.DeepEqual(n.Values, []string{"false"}) {
		t.Errorf("condition 1 = %+v", n)
	}
	pr := p.Statements[1].Principal
	if !reflect.DeepEqual(pr.Federated, []string{"a", "b"}) ||
		!reflect.DeepEqual(pr.Others, []string{"AWS:arn:aws:iam::1:root", "Service:ec2.amazonaws.com"}) {
		t.Errorf("principal 1 = %+v", pr)
	}
}

func TestParseErrors(t *testing.T) {
	stmt := func(body string) string { return `{"Version":"2012-10-17","Statement":[` + body + `]}` }
	allow := func(extra string) string {
		return stmt(`{"Effect":"Allow","Principal":{"Federated":"` + testARN + `"},"Action":"sts:AssumeRoleWithWebIdentity"` + extra + `}`)
	}
	cond := func(c string) string { return allow(`,"Condition":` + c) }
	tests := []struct {
		name        string
		in          string
		unsupported bool
		want        string // substring of the error
	}{
		{"empty input", ``, false, "invalid JSON"},
		{"not JSON", `Version: 2012`, false, "invalid JSON"},
		{"array", `[]`, false, "want a JSON object"},
		{"trailing data", eksPolicy + `{}`, false, "data after the object"},
		{"truncated", eksPolicy[:len(eksPolicy)/2], false, "invalid JSON"},
		{"no statement", `{"Version":"2012-10-17"}`, false, "no Statement"},
		{"empty statement list", stmt(``), false, "empty array"},
		{"statement string", `{"Statement":"x"}`, false, "want an object or an array"},
		{"bad version", `{"Version":"2012-10-18","Statement":[]}`, false, "not a policy language version"},
		{"unknown top member", `{"Version":"2012-10-17","statement":[]}`, false, `did you mean "Statement"`},
		{"duplicate member", `{"Version":"2012-10-17","Version":"2012-10-17","Statement":[]}`, false, "appears twice"},
		{"unknown statement member", allow(`,"Conditions":{}`), false, `did you mean "Condition"`},
		{"no effect", stmt(`{"Principal":"*","Action":"*"}`), false, "no Effect"},
		{"lower-case effect", stmt(`{"Effect":"allow","Principal":"*","Action":"*"}`), false, `want "Allow" or "Deny"`},
		{"no principal", stmt(`{"Effect":"Allow","Action":"*"}`), false, "no Principal"},
		{"no action", stmt(`{"Effect":"Allow","Principal":"*"}`), false, "no Action"},
		{"empty action list", stmt(`{"Effect":"Allow","Principal":"*","Action":[]}`), false, "empty array"},
		{"action number", stmt(`{"Effect":"Allow","Principal":"*","Action":[1]}`), false, "item 0 is a number"},
		{"principal string ARN", stmt(`{"Effect":"Allow","Principal":"` + testARN + `","Action":"*"}`), false, `want "*" or an object`},
		{"empty principal", stmt(`{"Effect":"Allow","Principal":{},"Action":"*"}`), false, "empty Principal"},
		{"unknown principal type", stmt(`{"Effect":"Allow","Principal":{"federated":"x"},"Action":"*"}`), false, `did you mean "Federated"`},
		{"resource", allow(`,"Resource":"*"`), false, "prohibited field Resource"},
		{"NotAction", stmt(`{"Effect":"Allow","Principal":"*","NotAction":"sts:AssumeRole"}`), true, "NotAction is not supported"},
		{"NotPrincipal", stmt(`{"Effect":"Deny","NotPrincipal":{"Federated":"x"},"Action":"*"}`), true, "NotPrincipal is not supported"},
		{"condition not object", cond(`[]`), false, "want a JSON object"},
		{"unknown operator", cond(`{"StringMatches":{"h:sub":"x"}}`), true, `"StringMatches" is not supported`},
		{"numeric operator", cond(`{"NumericLessThan":{"h:sub":"1"}}`), true, "is not supported"},
		{"unknown set operator", cond(`{"ForSomeValues:StringEquals":{"h:aud":"x"}}`), true, "unknown set operator"},
		{"bare IfExists", cond(`{"IfExists":{"h:aud":"x"}}`), true, "is not supported"},
		{"Null with prefix", cond(`{"ForAnyValue:Null":{"h:aud":"true"}}`), false, "Null takes neither"},
		{"Null with IfExists", cond(`{"NullIfExists":{"h:aud":"true"}}`), false, "Null takes neither"},
		{"Null bad value", cond(`{"Null":{"h:aud":"yes"}}`), false, `Null takes "true" or "false"`},
		{"empty operator block", cond(`{"StringEquals":{}}`), false, "no condition keys"},
		{"duplicate operator", cond(`{"StringEquals":{"h:aud":"x"},"stringequals":{"h:sub":"y"}}`), false, "appears twice"},
		{"duplicate key by case", cond(`{"StringEquals":{"h:sub":"x","h:SUB":"y"}}`), false, "appears twice"},
		{"key without provider", cond(`{"StringEquals":{"sub":"x"}}`), true, "is not <provider>:<claim>"},
		{"global key", cond(`{"StringEquals":{"aws:SourceIp":"1.2.3.4"}}`), true, "web identity keys are"},
		{"key without claim", cond(`{"StringEquals":{"` + testHost + `:":"a"}}`), true, "names no claim"},
		{"value object", cond(`{"StringEquals":{"h:sub":{"a":1}}}`), false, "a value is an object"},
		{"value null", cond(`{"StringEquals":{"h:sub":null}}`), false, "a value is null"},
		{"values empty", cond(`{"StringEquals":{"h:sub":[]}}`), false, "empty array of values"},
		{"nested array", cond(`{"StringEquals":{"h:sub":[["a"]]}}`), false, "a value is an array"},
		{"policy variable", cond(`{"StringLike":{"h:sub":"${aws:username}"}}`), true, "policy variables"},
		{"bad URL encoding", `%7B%ZZ`, false, "does not decode"},
		{"wrapper with number", `{"AssumeRolePolicyDocument":3}`, false, "want an object or a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatalf("Parse succeeded with %d statements, want an error", len(p.Statements))
			}
			if p != nil {
				t.Errorf("Parse returned a policy with its error")
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			if pe.Unsupported != tt.unsupported {
				t.Errorf("Unsupported = %v, want %v (%v)", pe.Unsupported, tt.unsupported, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestPolicyVariableLiteralIn2008(t *testing.T) {
	p, err := Parse([]byte(`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*",` +
		`"Condition":{"StringEquals":{"h:sub":"${literal}"}}}}`))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	d := p.Evaluate(Request{ProviderARN: "arn:aws:iam::1:oidc-provider/h", Claims: map[string][]string{"sub": {"${literal}"}}})
	if !d.Allowed {
		t.Errorf("not allowed: %s", d.Reason)
	}
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}
