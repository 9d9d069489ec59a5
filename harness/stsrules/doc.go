// Package stsrules is the one model of what STS applies to a web identity
// token and its provider in AssumeRoleWithWebIdentity. Every rule is a
// function returning a typed result: nil, or an *Error naming the RuleID,
// STS's code, HTTP status and message, and (through the registry, Rules)
// the catalog check that judges it. The claims suite (TOK checks, on a
// run's evidence through FromEvidence), the probe's signature check
// (harness/token), the STS suite (STS-001 names the root of STS's answer),
// the mock STS (fixtures/sts) and explain all call it; none keeps a copy,
// and consumers branch on Error.Rule, never on message text.
//
// The split with harness/token: this package holds the rules; harness/token
// reads a token from its source and records what can be shown of it.
//
// Decisions where STS's behaviour is not documented (AWS-RULES-2026.md),
// made once here and so the same in run, the mock STS and explain:
//   - kid "": a token with "kid": "" selects the keys published with
//     "kid": "" (amazon-eks-pod-identity-webhook#9, #12); a JWK without a
//     kid member matches no kid. Accepted, no finding.
//   - no kid header: unconfirmed. The model tries every published key (as
//     go-oidc and jwx do) and accepts when one verifies; TOK-003 warns and
//     says so (KidCaveat); explain prints the warning.
//   - sub length: counted in characters (Unicode code points), the unit of
//     the API reference's constraint on SubjectFromWebIdentityToken (255,
//     a Smithy length trait). A sub within 255 characters but over 255 bytes
//     is accepted and TOK-007 warns (SubjectCaveat).
//   - a NumericDate in milliseconds is an integer STS reads as seconds:
//     accepted, TOK-008 warns (DateCaveat).
//   - the signature is judged with the selected key's public numbers alone
//     (CheckSignature); the key's own rules (size, use, a JWK alg STS does
//     not take for its type) are KeyPolicy's, judged by the JWKS checks. A
//     token alg that differs from a JWK alg the key could also take is not
//     refused.
//   - a non-string azp or amr is not refused (TOK-011 warns).
//   - a key set over IAM's documented 100 RSA or 100 EC keys: what STS
//     does at exchange time is observed (spiffe/spire#4699), unconfirmed.
//     Accepted; JWKS-010 warns (KeyLimitCaveat) and the mock STS and
//     explain report the caveat.
//
// Each caveat the model takes to accept a token is in Identity.Caveats,
// with the check that warns on it.
//
// To add a rule (say, issue 9's five-minute expiry window): add a RuleID
// constant and its entry in the rules table (rules.go) with STS's code,
// status, message and the check that judges it; write the rule as a
// function returning refuse(id, ...) or nil, next to its kin (claims.go,
// keys.go, token.go); call it from Verifier.Judge in STS's order; and have
// the check's judge call the same function. TestRulesHaveChecks (suites)
// fails until the check exists, and TestRunMockAndExplainAgree (cmd/cli)
// proves run, the mock and explain agree on it: add a corpus case there.
//
// No error this package returns contains the token or its signature.
package stsrules
