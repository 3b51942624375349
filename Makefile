# Thin wrappers over go. The README's two commands are `go run ./cmd/dgen init
# --dry-run --dir examples/go-stdlib` and `go test ./...`; `make run-example`
# and `make test` run the same (make test adds go vet and gofmt).
GO ?= go
BIN := bin/dgen
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
# staticcheck is installed by .ci/run (go install …@$(STATICCHECK_VERSION))
# or by hand; make lint runs it over the whole module.
STATICCHECK ?= staticcheck
STATICCHECK_VERSION := v0.8.2

.PHONY: build test golden lint bench e2e run-example fuzz clean

build:
	$(GO) build -buildvcs=auto -trimpath -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/dgen

test:
	$(GO) vet ./...
	@test -z "$$(gofmt -l cmd detectors generator templates)" || (gofmt -l cmd detectors generator templates; echo "gofmt needed"; exit 1)
	$(GO) test ./...

golden:
	DGEN_UPDATE_GOLDEN=1 $(GO) test ./generator ./cmd/dgen -run 'TestGolden|ReferenceDocs|TestCheckPoorExampleGolden'

lint:
	$(GO) vet ./...
	gofmt -l cmd detectors generator templates
	@command -v $(STATICCHECK) >/dev/null || (echo "staticcheck not found: go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)"; exit 1)
	$(STATICCHECK) ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# fuzz runs the injection fuzzer (repository strings through detection and
# rendering) for FUZZTIME; the parser fuzzers are listed in docs/security.md.
FUZZTIME ?= 5m
fuzz:
	$(GO) test ./generator -run '^$$' -fuzz FuzzInjection -fuzztime $(FUZZTIME)

e2e: build
	bash examples/e2e/run.sh

run-example: build
	./$(BIN) init --dry-run --dir examples/go-stdlib

clean:
	rm -rf bin
