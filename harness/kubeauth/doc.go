// Package kubeauth runs kube-apiserver's own JWT authenticator
// (k8s.io/apiserver/plugin/pkg/authenticator/token/oidc) in-process, on the
// discovery document and key set a probe recorded, so the claim validation
// rules, claim mappings and user validation rules of an
// AuthenticationConfiguration are evaluated exactly as the API server does,
// with no second fetch.
package kubeauth
