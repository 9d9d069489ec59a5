# The oidc-conformance image: the static binary FROM scratch, a CA bundle so
# public issuers verify, a non-root user, and /out for reports. Nothing is
# pulled: `make image` builds bin/oidc-conformance on the host (CGO_ENABLED=0)
# and stages it with this file, because a multi-stage build FROM golang needs a
# registry. The integration tests build the same file from an in-memory context.
FROM scratch
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --chown=65534:65534 out/ /out/
COPY oidc-conformance /oidc-conformance
USER 65534:65534
WORKDIR /out
ENTRYPOINT ["/oidc-conformance"]
