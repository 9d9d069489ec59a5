# oidc-conformance: build, test, demo, bench. `make help` lists the targets.
GO      ?= go
BIN     := bin/oidc-conformance
PKGS    := ./...
export CGO_ENABLED ?= 1

.PHONY: help build image test vet fmt-check unit fuzz demo bench soak docs clean

help:
	@echo "make build   build $(BIN) (static, CGO_ENABLED=0)"
	@echo "make demo    run the whole harness against the embedded fixture issuer (no network)"
	@echo "make test    vet, gofmt check, all tests with the race detector, short fuzz runs"
	@echo "make image   build the oidc-conformance:dev container image FROM scratch (no registry needed)"
	@echo "make bench   benchmarks (the mock STS speed ratio among them)"
	@echo "make soak    load the mock STS for 60 s under -race with hostile clients"

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o $(BIN) ./cmd/oidc-conformance

# The image copies the host-built static binary: a multi-stage build FROM
# golang would need a registry. CA_BUNDLE lets public issuers verify inside.
CA_BUNDLE ?= /etc/ssl/certs/ca-certificates.crt
IMAGE     ?= oidc-conformance:dev
image: build
	rm -rf bin/image && mkdir -p bin/image/out
	touch bin/image/out/.keep
	cp $(BIN) Dockerfile bin/image/
	cp $(CA_BUNDLE) bin/image/ca-certificates.crt
	DOCKER_BUILDKIT=0 docker build -q -t $(IMAGE) bin/image

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

unit:
	$(GO) test -race -count=1 -timeout 10m $(PKGS)

# Short coverage-guided runs of the parsers' fuzz targets (their seed corpora
# also run as ordinary tests in `unit`). Each run is a count of executions,
# about 5 s of this machine's rate: Go 1.26's fuzz coordinator can fail a run
# with a spurious "context deadline exceeded" when a duration-based -fuzztime
# ends on a loaded machine (golang/go#75804, fixed in Go 1.27); a count has no
# deadline to race. FUZZTIME=30s (or 100000x) overrides every target's budget.
FUZZTIME ?=
fuzzrun = $(GO) test -run '^$$' -fuzz '^$(1)$$' -fuzztime $(if $(FUZZTIME),$(FUZZTIME),$(2)) $(3)
fuzz:
	$(call fuzzrun,FuzzDiscoveryDocument,20000x,./suites/discovery)
	$(call fuzzrun,FuzzJWKS,2000x,./suites/jwks)
	$(call fuzzrun,FuzzObserve,40000x,./harness/token)
	$(call fuzzrun,FuzzSummary,50000x,./harness/token)
	$(call fuzzrun,FuzzRedactJWKS,30000x,./harness/probe)
	$(call fuzzrun,FuzzClaims,20000x,./suites/claims)
	$(call fuzzrun,FuzzPolicy,80000x,./harness/trust)
	$(call fuzzrun,FuzzMembers,25000x,./harness/stsrules)
	$(call fuzzrun,FuzzStrings,20000x,./harness/stsrules)
	$(call fuzzrun,FuzzPatternLoops,20000x,./fixtures/sts)
	$(call fuzzrun,FuzzParseForm,30000x,./fixtures/sts)

test: vet fmt-check unit fuzz

demo: build
	./$(BIN) demo --out conformance-report

# Each benchmark prints one comparable line; BenchmarkTimeToVerdict's ratio
# (bound 1.2) and BenchmarkFleet1000's ratio (bound 1.5) and peak-MB (bound
# 150) are against go-oidc measured in the same run. Fleet1000 takes ~20 s.
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

# 60 s of 32 parallel valid requests beside slow-body, idle and oversized
# clients (a 5 s run of the same test is part of `make test`).
SOAKTIME ?= 60s
soak:
	$(GO) test -race -count=1 -run '^TestSoak$$' -v ./fixtures/sts -soak $(SOAKTIME)

# Regenerate the README's check table from the catalog.
docs:
	UPDATE_README=1 $(GO) test -count=1 -run TestREADMECatalogInSync ./cmd/cli

clean:
	rm -rf bin conformance-report
