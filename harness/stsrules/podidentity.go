package stsrules

import (
	"slices"
	"strings"
)

// EKS Pod Identity, the other way a pod gets AWS credentials: no IAM OIDC
// provider and no AssumeRoleWithWebIdentity; the Pod Identity Agent calls
// eks-auth:AssumeRoleForPodIdentity with a projected token of this audience,
// for a role whose trust policy names this service (EKS User Guide,
// pod-id-how-it-works and pod-id-role).
const (
	PodIdentityAudience = "pods.eks.amazonaws.com"
	PodIdentityService  = "pods.eks.amazonaws.com"
)

// PodIdentityAdvice is what to do instead when a Pod Identity token or role
// meets AssumeRoleWithWebIdentity.
const PodIdentityAdvice = "EKS Pod Identity tokens are for the Pod Identity Agent (eks-auth:AssumeRoleForPodIdentity), not for STS: " +
	"use a service-account token with audience sts.amazonaws.com (IRSA) for AssumeRoleWithWebIdentity, or let the SDK use " +
	"AWS_CONTAINER_CREDENTIALS_FULL_URI with a role trusting the service pods.eks.amazonaws.com"

// IsPodIdentityToken reports whether a token's audiences make it an EKS Pod
// Identity token.
func IsPodIdentityToken(audiences []string) bool {
	return slices.Contains(audiences, PodIdentityAudience)
}

// IsPodIdentityPrincipal reports whether a trust-policy principal
// ("Service:pods.eks.amazonaws.com", as trust.Principal.Others holds it) is
// the Pod Identity service.
func IsPodIdentityPrincipal(principal string) bool {
	return strings.EqualFold(principal, "Service:"+PodIdentityService)
}
