package stsrules

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// IAM's limits on an OIDC provider.
const (
	MaxClientIDs   = 100
	MaxClientIDLen = 255
	MaxThumbprints = 5
	MaxURLLen      = 255
)

// Provider is an IAM OIDC identity provider as registered in an account.
type Provider struct {
	// URL is the issuer as IAM stores it, without https:// (a leading
	// https:// is accepted and ignored), e.g. oidc.eks.us-west-2.amazonaws.com/id/X.
	URL string `json:"url"`
	// ClientIDs are the audiences the provider accepts (IAM's ClientIDList).
	ClientIDs []string `json:"client_ids"`
	// Thumbprints are the SHA-1 thumbprints (40 hex) of the top intermediate
	// CA of the JWKS host, used when its chain is not publicly trusted.
	Thumbprints []string `json:"thumbprints,omitempty"`
}

// Host returns the provider URL without https://: the prefix of the
// provider's condition keys and the last part of its ARN.
func (p Provider) Host() string { return strings.TrimPrefix(p.URL, "https://") }

// Issuer returns the iss a token must carry to use this provider:
// "https://" + Host().
func (p Provider) Issuer() string { return "https://" + p.Host() }

// IsIssuer reports whether iss == p.Issuer(), without building it.
func (p Provider) IsIssuer(iss string) bool {
	rest, ok := strings.CutPrefix(iss, "https://")
	return ok && rest == p.Host()
}

// ARN returns arn:aws:iam::<account>:oidc-provider/<Host()>, in the aws
// partition (trust.ProviderARNIn builds it in another).
func (p Provider) ARN(account string) string {
	return "arn:aws:iam::" + account + ":oidc-provider/" + p.Host()
}

// HasThumbprint reports whether thumbprint (hex, any case) is registered.
func (p Provider) HasThumbprint(thumbprint string) bool {
	for _, t := range p.Thumbprints {
		if strings.EqualFold(t, thumbprint) {
			return true
		}
	}
	return false
}

// HasClientID reports whether aud is one of the client IDs, exactly.
func (p Provider) HasClientID(aud string) bool {
	for _, c := range p.ClientIDs {
		if c == aud {
			return true
		}
	}
	return false
}

// Validate checks the provider against IAM's rules for
// CreateOpenIDConnectProvider: an https URL with a host and no query,
// fragment or user info, at most 255 characters; 1..100 client IDs of
// 1..255 characters; at most 5 thumbprints of 40 hex characters.
func (p Provider) Validate() error {
	if strings.Contains(p.Host(), "://") {
		return fmt.Errorf("provider %q: URL scheme is not https", p.URL)
	}
	if err := validateURL(p.Issuer()); err != nil {
		return fmt.Errorf("provider %q: %w", p.URL, err)
	}
	if len(p.ClientIDs) == 0 || len(p.ClientIDs) > MaxClientIDs {
		return fmt.Errorf("provider %q: %d client IDs, want 1..%d", p.URL, len(p.ClientIDs), MaxClientIDs)
	}
	for _, c := range p.ClientIDs {
		if len(c) == 0 || len(c) > MaxClientIDLen {
			return fmt.Errorf("provider %q: client ID %q: want 1..%d characters", p.URL, c, MaxClientIDLen)
		}
	}
	if len(p.Thumbprints) > MaxThumbprints {
		return fmt.Errorf("provider %q: %d thumbprints, want at most %d", p.URL, len(p.Thumbprints), MaxThumbprints)
	}
	for _, t := range p.Thumbprints {
		if b, err := hex.DecodeString(t); err != nil || len(b) != 20 {
			return fmt.Errorf("provider %q: thumbprint %q is not 40 hex characters", p.URL, t)
		}
	}
	return nil
}

// validateURL checks an issuer URL as IAM does.
func validateURL(issuer string) error {
	if len(issuer) > MaxURLLen {
		return fmt.Errorf("URL longer than %d characters", MaxURLLen)
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return fmt.Errorf("URL: %w", err)
	}
	switch {
	case u.Scheme != "https":
		return errors.New("URL scheme is not https")
	case u.Host == "":
		return errors.New("URL has no host")
	case u.RawQuery != "" || u.ForceQuery:
		return errors.New("URL has a query")
	case u.Fragment != "" || strings.Contains(issuer, "#"):
		return errors.New("URL has a fragment")
	case u.User != nil:
		return errors.New("URL has user info")
	}
	return nil
}

// ParseIAMProvider reads the output of `aws iam get-open-id-connect-provider`
// ({"Url": ..., "ClientIDList": [...], "ThumbprintList": [...]}), or this
// package's own JSON form ({"url": ..., "client_ids": [...], "thumbprints":
// [...]}), and validates it.
func ParseIAMProvider(data []byte) (Provider, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return Provider{}, fmt.Errorf("IAM provider JSON: %w", err)
	}
	var p Provider
	if _, iam := members["ClientIDList"]; iam {
		var raw struct {
			URL            string   `json:"Url"`
			ClientIDList   []string `json:"ClientIDList"`
			ThumbprintList []string `json:"ThumbprintList"`
		}
		if err := json.Unmarshal(data, &raw); err != nil {
			return Provider{}, fmt.Errorf("IAM provider JSON: %w", err)
		}
		p = Provider{URL: raw.URL, ClientIDs: raw.ClientIDList, Thumbprints: raw.ThumbprintList}
	} else if err := json.Unmarshal(data, &p); err != nil {
		return Provider{}, fmt.Errorf("IAM provider JSON: %w", err)
	}
	if p.URL == "" {
		return Provider{}, errors.New("IAM provider JSON: no URL")
	}
	if err := p.Validate(); err != nil {
		return Provider{}, fmt.Errorf("IAM provider JSON: %w", err)
	}
	return p, nil
}
