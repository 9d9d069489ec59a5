package suites_test

// awsRows are the aws-sts rows (see wantRows): the issuer side of STS.
var awsRows = map[string]string{
	"":                         "accepts []",
	"cel-rule-refuses":         "accepts []",
	"eks-issuer-query":         "accepts []",
	"eks-system-prefix":        "accepts []",
	"eks-wrong-client-id":      "accepts []",
	"email-unverified":         "accepts []",
	"groups-number":            "accepts []",
	"issuer-trailing-slash":    "rejects [DISC-005]",
	"jwks-uri-http":            "rejects [DISC-007]",
	"k8s-url-trailing-slash":   "accepts []",
	"required-claim-absent":    "accepts []",
	"token-alg-none":           "rejects [TOK-012]",
	"token-expired":            "rejects [TOK-009]",
	"token-iss-trailing-slash": "rejects [TOK-005]",
	"token-no-exp":             "rejects [TOK-008]",
	"token-ps256":              "rejects [TOK-002]",
	"token-wrong-aud":          "rejects [TOK-006]",
	"too-many-keys":            "unknown []",
	"username-claim-missing":   "accepts []",
	"x5c-other-key":            "rejects [JWKS-011]",
}

// oidcRows are the generic oidc relying party's rows (see wantRows).
var oidcRows = map[string]string{
	"":                         "accepts []",
	"cel-rule-refuses":         "accepts []",
	"eks-issuer-query":         "accepts []",
	"eks-system-prefix":        "accepts []",
	"eks-wrong-client-id":      "accepts []",
	"email-unverified":         "accepts []",
	"groups-number":            "accepts []",
	"issuer-trailing-slash":    "rejects [DISC-005]",
	"jwks-uri-http":            "rejects [DISC-007]",
	"k8s-url-trailing-slash":   "accepts []",
	"required-claim-absent":    "accepts []",
	"token-alg-none":           "rejects [TOK-012]",
	"token-expired":            "rejects [TOK-009]",
	"token-iss-trailing-slash": "rejects [TOK-005]",
	"token-no-exp":             "rejects [TOK-008]",
	"token-ps256":              "accepts []",
	"token-wrong-aud":          "rejects [TOK-006]",
	"too-many-keys":            "accepts []",
	"username-claim-missing":   "accepts []",
	"x5c-other-key":            "rejects [JWKS-011]",
}
