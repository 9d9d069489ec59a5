package kubeauth

import (
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	api "k8s.io/apiserver/pkg/apis/apiserver"
	"k8s.io/apiserver/pkg/apis/apiserver/install"
	"k8s.io/apiserver/pkg/apis/apiserver/validation"
	authenticationcel "k8s.io/apiserver/pkg/authentication/cel"
)

// Config is a decoded AuthenticationConfiguration (any served version,
// converted to the API server's internal form).
type Config struct {
	cfg *api.AuthenticationConfiguration
}

// Load decodes an AuthenticationConfiguration file, YAML or JSON, of
// apiVersion apiserver.config.k8s.io/v1 or v1beta1 (v1alpha1 too), strictly:
// an unknown or duplicate field is an error, and the configuration is
// validated (CEL expressions compiled) as kube-apiserver does at start-up.
func Load(data []byte) (*Config, error) {
	scheme := runtime.NewScheme()
	install.Install(scheme)
	codecs := serializer.NewCodecFactory(scheme, serializer.EnableStrict)
	obj, gvk, err := codecs.UniversalDecoder().Decode(data, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("kubeauth: decode AuthenticationConfiguration: %w", err)
	}
	cfg, ok := obj.(*api.AuthenticationConfiguration)
	if !ok {
		return nil, fmt.Errorf("kubeauth: the file is a %s, want an AuthenticationConfiguration", gvk.Kind)
	}
	if len(cfg.JWT) == 0 {
		return nil, errors.New("kubeauth: the AuthenticationConfiguration has no jwt[] entry")
	}
	if err := validation.ValidateAuthenticationConfiguration(authenticationcel.NewDefaultCompiler(), cfg, nil).ToAggregate(); err != nil {
		return nil, fmt.Errorf("kubeauth: kube-apiserver would not start with it: %w", err)
	}
	return &Config{cfg: cfg}, nil
}

// Issuers returns the issuer.url of every jwt[] entry, in file order.
func (c *Config) Issuers() []string {
	out := make([]string, len(c.cfg.JWT))
	for i, j := range c.cfg.JWT {
		out[i] = j.Issuer.URL
	}
	return out
}

// Entry returns the jwt[] entry whose issuer.url is url; with url "", the
// only entry, or the one for fallback (the probed issuer), else an error
// naming the entries.
func (c *Config) Entry(url, fallback string) (*JWT, error) {
	pick := func(u string) *JWT {
		for i := range c.cfg.JWT {
			if c.cfg.JWT[i].Issuer.URL == u {
				return &JWT{a: c.cfg.JWT[i]}
			}
		}
		return nil
	}
	switch {
	case url != "":
		if j := pick(url); j != nil {
			return j, nil
		}
		return nil, fmt.Errorf("kubeauth: no jwt[] entry has issuer.url %q (entries: %s)", url, strings.Join(c.Issuers(), ", "))
	case len(c.cfg.JWT) == 1:
		return &JWT{a: c.cfg.JWT[0]}, nil
	}
	if j := pick(fallback); j != nil {
		return j, nil
	}
	return nil, fmt.Errorf("kubeauth: %d jwt[] entries and none has issuer.url %q: name one (entries: %s)",
		len(c.cfg.JWT), fallback, strings.Join(c.Issuers(), ", "))
}
