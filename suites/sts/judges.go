// Package sts judges the end-to-end exchange: AssumeRoleWithWebIdentity
// against real STS, an STS-compatible endpoint or the built-in mock, then
// GetCallerIdentity with the credentials it returned: checks STS-001 to STS-003.
package sts

import (
	"fmt"
	"strings"

	"github.com/oidc-conformance/oidc-conformance/harness/check"
	"github.com/oidc-conformance/oidc-conformance/harness/evidence"
)

// explanations point an STS error the model cannot explain (the
// exchange's own parameters) at what to check.
var explanations = map[string]string{
	"ValidationError": "check --role-arn and the session name",
}

// assumed returns the successful AssumeRoleWithWebIdentity call, or a skip.
func assumed(t *evidence.Target) (*evidence.STSCall, *check.Finding) {
	switch {
	case t.STS == nil:
		f := check.Skip("no STS exchange asked for (--role-arn)")
		return nil, &f
	case t.STS.Skipped != "":
		f := check.Skip("%s", t.STS.Skipped)
		return nil, &f
	case t.STS.Assume == nil || !t.STS.Assume.OK:
		f := check.Blocked("STS-001") // the catalog's Requires, for a judge called alone
		return nil, &f
	}
	return t.STS.Assume, nil
}

func judgeAssume(t *evidence.Target) check.Finding {
	if t.STS == nil {
		return check.Skip("no STS exchange asked for (--role-arn)")
	}
	if t.STS.Skipped != "" {
		return check.Skip("%s", t.STS.Skipped)
	}
	a := t.STS.Assume
	if a == nil {
		return check.Failf("no AssumeRoleWithWebIdentity answer was recorded")
	}
	if !a.OK {
		why := explanations[a.ErrorCode]
		if why != "" {
			why = " (" + why + ")"
		} else if a.ErrorCode != "" {
			why = explained(t, a)
		}
		code := a.ErrorCode
		if code == "" {
			code = "error"
		}
		return check.Failf("%s %s: %s%s: %s%s%s", t.STS.Mode, t.STS.Endpoint, code, status(a), a.Error, why, sourcesNote(t.STS))
	}
	return check.Pass("%s %s returned credentials for %s, expiring %s%s", t.STS.Mode, t.STS.Endpoint, a.AssumedRoleARN,
		a.Expiration.UTC().Format("2006-01-02T15:04:05Z"), sourcesNote(t.STS))
}

// sourcesNote says where the exchange's role, session name and endpoint
// came from when any of them came from the environment (a pod's defaults).
func sourcesNote(s *evidence.STS) string {
	env := false
	for _, v := range s.Sources {
		if strings.HasPrefix(v, "AWS_") {
			env = true
		}
	}
	if !env {
		return ""
	}
	var parts []string
	for _, k := range []string{"role_arn", "session_name", "sts", "endpoint", "region"} {
		if v, ok := s.Sources[k]; ok {
			parts = append(parts, strings.ReplaceAll(k, "_", " ")+" from "+v)
		}
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func status(a *evidence.STSCall) string {
	if a.HTTPStatus == 0 {
		return ""
	}
	return fmt.Sprintf(" (HTTP %d)", a.HTTPStatus)
}

func judgeResult(t *evidence.Target) check.Finding {
	a, skip := assumed(t)
	if skip != nil {
		return *skip
	}
	var bad []string
	if claims, ok := tokenClaims(t); ok {
		if sub := claims["sub"]; len(sub) == 1 && a.SubjectFromWebIdentityToken != sub[0] {
			bad = append(bad, fmt.Sprintf("SubjectFromWebIdentityToken %q, the token's sub is %q", a.SubjectFromWebIdentityToken, sub[0]))
		}
		if auds := claims["aud"]; len(auds) > 0 && !contains(auds, a.Audience) {
			bad = append(bad, fmt.Sprintf("Audience %q is not among the token's aud %q", a.Audience, auds))
		}
	}
	if want := t.Input.Audience; want != "" && a.Audience != want {
		bad = append(bad, fmt.Sprintf("Audience %q, the expected audience is %q", a.Audience, want))
	}
	role := roleName(t.STS.RoleARN)
	want := fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", accountOf(t.STS.RoleARN), role, t.STS.SessionName)
	if a.AssumedRoleARN != want {
		bad = append(bad, fmt.Sprintf("AssumedRoleUser.Arn %q, want %q", a.AssumedRoleARN, want))
	}
	if !strings.HasSuffix(a.AssumedRoleID, ":"+t.STS.SessionName) {
		bad = append(bad, fmt.Sprintf("AssumedRoleId %q does not end in :%s", a.AssumedRoleID, t.STS.SessionName))
	}
	if len(bad) > 0 {
		return check.Failf("%s", strings.Join(bad, "; "))
	}
	return check.Pass("subject %q, audience %q, %s", a.SubjectFromWebIdentityToken, a.Audience, a.AssumedRoleARN)
}

func judgeCredentialsWork(t *evidence.Target) check.Finding {
	a, skip := assumed(t)
	if skip != nil {
		return *skip
	}
	c := t.STS.CallerIdentity
	switch {
	case c == nil:
		return check.Failf("GetCallerIdentity was not called")
	case !c.OK:
		return check.Failf("GetCallerIdentity signed with the returned credentials failed: %s%s: %s", c.ErrorCode, status(c), c.Error)
	case c.Arn != a.AssumedRoleARN:
		return check.Failf("GetCallerIdentity says %q, AssumeRoleWithWebIdentity said %q", c.Arn, a.AssumedRoleARN)
	}
	return check.Pass("GetCallerIdentity (SigV4 with the session token) answers %s", c.Arn)
}

// roleName is the name of arn:aws:iam::<acct>:role/<path/>name.
func roleName(arn string) string {
	_, res, _ := strings.Cut(arn, ":role/")
	if i := strings.LastIndex(res, "/"); i >= 0 {
		res = res[i+1:]
	}
	return res
}

// accountOf is the account of an ARN.
func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 {
		return parts[4]
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
