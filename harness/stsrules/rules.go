package stsrules

import (
	"net/http"
	"strings"
)

// RuleID names one rule STS applies to a web identity token or to its
// provider. A refusal (*Error) carries the RuleID of the rule that refused,
// so a consumer branches on it, never on message text.
type RuleID string

// The rules, in the order STS applies them. To add one: a constant here, an
// entry in rules below (its STS code, status, message and the check that
// judges it), and the function that returns its *Error through refuse.
// TestRulesHaveChecks (suites) fails until the check exists in the catalog.
const (
	// RuleTokenLength: WebIdentityToken is 4..20000 characters (an API
	// parameter constraint, so a ValidationError).
	RuleTokenLength RuleID = "token-length"
	// RuleCompactJWS: the token is a compact JWS: three unpadded base64url
	// parts, header and claims JSON objects, no crit. A JWE is named as one.
	RuleCompactJWS RuleID = "compact-jws"
	// RuleIssuerClaim: iss is present and a non-empty string.
	RuleIssuerClaim RuleID = "issuer-claim"
	// RuleProvider: iss names a registered IAM OIDC provider, exactly.
	RuleProvider RuleID = "provider"
	// RuleSigningAlgorithm: the header has an alg, a JWS signature
	// algorithm verifiable with a published key: not none, not an HMAC
	// (every relying party's rule, CheckSigningAlgorithm).
	RuleSigningAlgorithm RuleID = "signing-algorithm"
	// RuleAlgorithm: that alg is one STS accepts (no PS*, no EdDSA).
	RuleAlgorithm RuleID = "algorithm"
	// RuleKeyID: a key is published under the token's kid (see SelectKeys
	// for a token without kid).
	RuleKeyID RuleID = "key-id"
	// RuleKeyParse: the key published under the kid parses.
	RuleKeyParse RuleID = "key-parse"
	// RuleKeySymmetric: that key is not a symmetric (oct) key.
	RuleKeySymmetric RuleID = "key-symmetric"
	// RuleKeyType: that key is an RSA or EC public key.
	RuleKeyType RuleID = "key-type"
	// RuleSignature: the signature verifies with that key's public numbers.
	RuleSignature RuleID = "signature"
	// RuleKeySize: the RSA key that verified is at least 2048 bits.
	RuleKeySize RuleID = "key-size"
	// RuleKeyAlgorithm: that key's alg and type agree with the token's alg.
	RuleKeyAlgorithm RuleID = "key-algorithm"
	// RuleKeyUse: that key is not marked "use": "enc".
	RuleKeyUse RuleID = "key-use"
	// RuleNumericDate: exp and iat are present, and they and nbf are JSON
	// integers.
	RuleNumericDate RuleID = "numeric-date"
	// RuleAudienceClaim: aud is present, a string or an array of strings.
	RuleAudienceClaim RuleID = "audience-claim"
	// RuleSubject: sub is present, a non-empty string of at most 255
	// characters.
	RuleSubject RuleID = "subject"
	// RuleAudience: an aud value is one of the provider's client IDs.
	RuleAudience RuleID = "audience"
	// RuleExpired: now is before exp plus IAM's five-minute window.
	RuleExpired RuleID = "expired"
	// RuleNotYetValid: iat and nbf are at most FutureSkew ahead.
	RuleNotYetValid RuleID = "not-yet-valid"

	// RuleDiscovery: the discovery document answers 200.
	RuleDiscovery RuleID = "discovery"
	// RuleDiscoveryError: the discovery document did not answer an error status.
	RuleDiscoveryError RuleID = "discovery-error"
	// RuleDiscoveryRedirect: the discovery document is not behind a redirect.
	RuleDiscoveryRedirect RuleID = "discovery-redirect"
	// RuleDiscoverySlow: discovery and JWKS answer within STS's 5 s.
	RuleDiscoverySlow RuleID = "discovery-slow"
	// RuleDiscoveryDocument: the discovery document is one JSON object.
	RuleDiscoveryDocument RuleID = "discovery-document"
	// RuleDiscoveryIssuer: its issuer is the token's iss exactly.
	RuleDiscoveryIssuer RuleID = "discovery-issuer"
	// RuleJWKSURI: it names an absolute https jwks_uri.
	RuleJWKSURI RuleID = "jwks-uri"
	// RuleJWKS: the JWKS answers 200, without redirect.
	RuleJWKS RuleID = "jwks"
	// RuleJWKSError: the JWKS did not answer an error status.
	RuleJWKSError RuleID = "jwks-error"
	// RuleKeySet: the JWKS is a key set with at least one key.
	RuleKeySet RuleID = "key-set"
	// RuleTLS: the chain of the host verifies.
	RuleTLS RuleID = "tls"
	// RuleThumbprint: where IAM uses the thumbprints (ThumbprintsUsed: a
	// chain not publicly trusted, a host refusing TLS 1.2, no certificate),
	// one matches the last certificate the host sends.
	RuleThumbprint RuleID = "thumbprint"
	// RuleChainOrder: the chain is sent in order (ChainOrder).
	RuleChainOrder RuleID = "chain-order"

	// RuleTrustPrincipal: the trust policy allows this provider.
	RuleTrustPrincipal RuleID = "trust-principal"
	// RuleTrustConditions: its conditions hold for the token's claims.
	RuleTrustConditions RuleID = "trust-conditions"
	// RuleSessionTags: the token's session tags are well formed
	// (ReadSessionClaims); RuleSessionTagsSize: at most 50, within STS's
	// lengths; RuleSourceIdentity: its source identity is well formed;
	// RuleSessionActions: the trust policy allows sts:TagSession and
	// sts:SetSourceIdentity for them.
	RuleSessionTags     RuleID = "session-tags"
	RuleSessionTagsSize RuleID = "session-tags-size"
	RuleSourceIdentity  RuleID = "source-identity"
	RuleSessionActions  RuleID = "session-actions"
)

// STS error codes.
const (
	CodeInvalidIdentityToken  = "InvalidIdentityToken"
	CodeExpiredToken          = "ExpiredTokenException"
	CodeIDPCommunicationError = "IDPCommunicationError"
	CodeValidationError       = "ValidationError"
	CodeAccessDenied          = "AccessDenied"
	CodePackedPolicyTooLarge  = "PackedPolicyTooLarge"
)

// Messages STS writes, verbatim (the double space is STS's).
const (
	MsgKeyNotRetrieved   = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
	MsgIncorrectAudience = "Incorrect token audience"
	MsgThumbprint        = "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint"
	MsgNotAuthorized     = "Not authorized to perform sts:AssumeRoleWithWebIdentity"
	msgNoProvider        = "No OpenIDConnect provider found in your account for "
	msgMissingClaim      = "Missing a required claim: "
	msgExpired           = "Token expired: "
	msgTokenLength       = "1 validation error detected: Value '*** Sensitive Data Redacted ***' at 'webIdentityToken' failed to satisfy constraint: Member must have length "
)

// Rule is one entry of the model: what STS answers when the rule fails, and
// the catalog check that judges it.
type Rule struct {
	ID RuleID
	// Check is the catalog ID of the check that judges this rule: the root
	// a report names when STS refuses for it.
	Check string
	// Related are further checks that may explain the same answer (the IAM
	// side of an audience mismatch).
	Related []string
	// Code and HTTPStatus are STS's answer.
	Code       string
	HTTPStatus int
	// Message is STS's message when it is fixed, or its fixed start when
	// Prefix is set; "" when STS's text is a short reason of its own that
	// is not documented (the mock writes one).
	Message string
	Prefix  bool
	// Doc says the rule in a sentence.
	Doc string
}

// rules is the registry, in STS's order.
var rules = []Rule{
	{ID: RuleTokenLength, Check: "TOK-013", Code: CodeValidationError, Message: msgTokenLength, Prefix: true,
		Doc: "WebIdentityToken is 4..20000 characters"},
	{ID: RuleCompactJWS, Check: "TOK-001", Code: CodeInvalidIdentityToken,
		Doc: "the token is a compact JWS (not a JWE): three unpadded base64url parts, JSON header and claims, no crit"},
	{ID: RuleIssuerClaim, Check: "TOK-005", Code: CodeInvalidIdentityToken, Message: msgMissingClaim + "iss",
		Doc: "iss is a non-empty string"},
	{ID: RuleProvider, Check: "TOK-005", Related: []string{"IAM-001"}, Code: CodeInvalidIdentityToken, Message: msgNoProvider, Prefix: true,
		Doc: "iss is the URL of a registered IAM OIDC provider, byte for byte"},
	{ID: RuleSigningAlgorithm, Check: "TOK-012", Code: CodeInvalidIdentityToken,
		Doc: "the header has an alg, a JWS signature algorithm verifiable with a published key: never none, never an HMAC"},
	{ID: RuleAlgorithm, Check: "TOK-002", Code: CodeInvalidIdentityToken,
		Doc: "alg is RS256, RS384, RS512, ES256, ES384 or ES512"},
	{ID: RuleKeyID, Check: "TOK-003", Related: []string{"ROT-005"}, Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "a key is published under the token's exact kid"},
	{ID: RuleKeyParse, Check: "JWKS-003", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the key published under the kid parses"},
	{ID: RuleKeySymmetric, Check: "JWKS-006", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the key published under the kid is not a symmetric (oct) key"},
	{ID: RuleKeyType, Check: "JWKS-008", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the key published under the kid is an RSA or EC key"},
	{ID: RuleSignature, Check: "TOK-004", Code: CodeInvalidIdentityToken, Message: "The token signature is invalid",
		Doc: "the signature verifies with the public numbers of a key published under the kid"},
	{ID: RuleKeySize, Check: "JWKS-007", Code: CodeInvalidIdentityToken,
		Doc: "the RSA key that verified the token is at least 2048 bits"},
	{ID: RuleKeyAlgorithm, Check: "JWKS-008", Code: CodeInvalidIdentityToken,
		Doc: "the key's alg, type and curve agree with the token's alg"},
	{ID: RuleKeyUse, Check: "JWKS-015", Code: CodeInvalidIdentityToken,
		Doc: `the key is not marked "use": "enc"`},
	{ID: RuleNumericDate, Check: "TOK-008", Code: CodeInvalidIdentityToken,
		Doc: "exp and iat are present; exp, iat and nbf are JSON integers"},
	{ID: RuleAudienceClaim, Check: "TOK-006", Code: CodeInvalidIdentityToken, Message: msgMissingClaim + "aud",
		Doc: "aud is present, a string or an array of strings"},
	{ID: RuleSubject, Check: "TOK-007", Code: CodeInvalidIdentityToken,
		Doc: "sub is a non-empty string of at most 255 characters"},
	{ID: RuleAudience, Check: "TOK-006", Related: []string{"IAM-002"}, Code: CodeInvalidIdentityToken, Message: MsgIncorrectAudience,
		Doc: "an aud value is one of the provider's client IDs"},
	{ID: RuleExpired, Check: "TOK-009", Code: CodeExpiredToken, Message: msgExpired, Prefix: true,
		Doc: "now is before exp plus IAM's five-minute window"},
	{ID: RuleNotYetValid, Check: "TOK-009", Code: CodeInvalidIdentityToken,
		Doc: "iat and nbf are at most 60 s ahead of now"},

	{ID: RuleDiscovery, Check: "DISC-001", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the discovery document answers 200"},
	{ID: RuleDiscoveryError, Check: "DISC-001", Code: CodeIDPCommunicationError,
		Doc: "the discovery document does not answer an error status"},
	{ID: RuleDiscoveryRedirect, Check: "DISC-002", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the discovery document is not behind a redirect"},
	{ID: RuleDiscoverySlow, Check: "DISC-015", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "discovery and the JWKS answer within 5 s"},
	{ID: RuleDiscoveryDocument, Check: "DISC-004", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the discovery document is one JSON object"},
	{ID: RuleDiscoveryIssuer, Check: "DISC-005", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the discovery document's issuer is the token's iss"},
	{ID: RuleJWKSURI, Check: "DISC-007", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the discovery document names an absolute https jwks_uri"},
	{ID: RuleJWKS, Check: "JWKS-001", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the JWKS answers 200 without redirect"},
	{ID: RuleJWKSError, Check: "JWKS-001", Code: CodeIDPCommunicationError,
		Doc: "the JWKS does not answer an error status"},
	{ID: RuleKeySet, Check: "JWKS-002", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the JWKS is a key set with at least one key"},
	{ID: RuleTLS, Check: "TLS-001", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the host's certificate chain verifies"},
	{ID: RuleThumbprint, Check: "TLS-005", Related: []string{"IAM-003"}, Code: CodeInvalidIdentityToken, Message: MsgThumbprint,
		Doc: "where IAM uses thumbprints (chain not publicly trusted, host refusing TLS 1.2, no certificate) one matches the host's"},
	{ID: RuleChainOrder, Check: "TLS-008", Code: CodeInvalidIdentityToken, Message: MsgKeyNotRetrieved,
		Doc: "the chain is sent leaf first, each certificate signed by the next, no duplicate or extra (IAM: signature mismatch; STS's text unconfirmed)"},

	{ID: RuleTrustPrincipal, Check: "IAM-004", Code: CodeAccessDenied, HTTPStatus: http.StatusForbidden, Message: MsgNotAuthorized,
		Doc: "the trust policy allows sts:AssumeRoleWithWebIdentity for this provider"},
	{ID: RuleTrustConditions, Check: "IAM-007", Related: []string{"IAM-005"}, Code: CodeAccessDenied, HTTPStatus: http.StatusForbidden, Message: MsgNotAuthorized,
		Doc: "the trust policy's conditions hold for the token's claims"},
	{ID: RuleSessionTags, Check: "IAM-009", Code: CodeInvalidIdentityToken,
		Doc: "the https://aws.amazon.com/tags claim has one value per tag and transitive keys among them (STS's text unconfirmed)"},
	{ID: RuleSessionTagsSize, Check: "IAM-009", Code: CodePackedPolicyTooLarge,
		Doc: "at most 50 session tags, keys up to 128 characters, values up to 256"},
	{ID: RuleSourceIdentity, Check: "IAM-009", Code: CodeInvalidIdentityToken,
		Doc: "the source identity is 2..64 characters of [A-Za-z0-9_.,+=@-], not starting aws: (STS's text unconfirmed)"},
	{ID: RuleSessionActions, Check: "IAM-009", Code: CodeAccessDenied, HTTPStatus: http.StatusForbidden, Message: MsgNotAuthorized,
		Doc: "the trust policy allows sts:TagSession and sts:SetSourceIdentity for a token with session tags or a source identity"},
}

// Rules returns the registry: every rule, in STS's order.
func Rules() []Rule { return append([]Rule(nil), rules...) }

// Lookup returns the rule called id.
func Lookup(id RuleID) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// rule returns the registered rule id; an unregistered id is a programming
// error caught by the registry's tests.
func rule(id RuleID) Rule {
	r, ok := Lookup(id)
	if !ok {
		panic("stsrules: unregistered rule " + string(id))
	}
	if r.HTTPStatus == 0 {
		r.HTTPStatus = http.StatusBadRequest
	}
	return r
}

// Classify returns the rule of an answer STS sent (its code and message),
// when the message names one rule alone: an exact fixed message, or a fixed
// start. ok is false for STS's shared "Couldn't retrieve verification key"
// (many rules send it) and for a message the model does not know.
func Classify(code, message string) (Rule, bool) {
	var found []Rule
	for _, r := range rules {
		if r.Code != code || r.Message == "" {
			continue
		}
		if message == r.Message || (r.Prefix && strings.HasPrefix(message, r.Message)) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		return Rule{}, false
	}
	return rule(found[0].ID), true
}
