package trust

import (
	"net/url"
	"testing"
)

// FuzzPolicy parses arbitrary input: Parse never panics, returns either a
// policy or an error, evaluation never allows when parsing failed, and
// Decide is Evaluate without an allowing decision's reason.
func FuzzPolicy(f *testing.F) {
	for _, seed := range []string{
		eksPolicy,
		`{"Role":{"AssumeRolePolicyDocument":` + eksPolicy + `}}`,
		url.QueryEscape(eksPolicy),
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"*"}}`,
		`{"Statement":[{"Effect":"Deny","Principal":{"Federated":"*"},"Action":"sts:*","Condition":{"ForAllValues:StringNotLikeIfExists":{"h:amr":["a*","?"]},"Null":{"h:azp":true}}}]}`,
		`{"Statement":[{"Effect":"Allow","NotAction":"x","Principal":"*"}]}`,
		`{"AssumeRolePolicyDocument":"%7B%7D"}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":["STS:assumerolewithwebIDENTITY","sts:tag\u017fession"]}]}`,
		`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRoleWithWebIdentit?","Condition":{"StringEquals":{"h:aud":"x"}}},{"Effect":"Allow","Principal":"*","Action":"sts:*"}]}`,
		`{}`, `[]`, `null`, `"x"`, `%`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			if p != nil {
				t.Fatalf("Parse returned a policy and the error %v", err)
			}
			if d := p.Evaluate(Request{ProviderARN: testARN, Claims: claims(sa, sts, nil)}); d.Allowed {
				t.Fatalf("a policy that failed to parse allowed: %s", d.Reason)
			}
			return
		}
		if p == nil {
			t.Fatal("Parse returned neither a policy nor an error")
		}
		for _, req := range []Request{
			{ProviderARN: testARN, Claims: claims(sa, sts, []string{"authenticated"})},
			{ProviderARN: "arn:aws:iam::1:oidc-provider/h", Claims: map[string][]string{"aud": {"a", "b"}, "azp": {"c"}}},
			{Action: "sts:TagSession"},
		} {
			d := p.Evaluate(req)
			if d.Reason == "" {
				t.Fatalf("decision without a reason: %+v", d)
			}
			want := d
			if want.Allowed {
				want.Reason = ""
			}
			if q := p.Decide(req); q != want {
				t.Fatalf("Decide gave %+v, Evaluate %+v", q, d)
			}
		}
	})
}
