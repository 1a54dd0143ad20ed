# Plein — two commands for a newcomer: `make run` and `make test`.
# Each does its own set-up on a fresh Debian machine with Go and Node.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO        ?= go
NPM       ?= npm
BIN       := bin/plein
# The data folder: PLEIN_DATA_DIR (as the server names it) or DATA_DIR.
PLEIN_DATA_DIR ?= $(or $(DATA_DIR),./data)
# The embedded store needs only FerretDB's SQLite backend: its PostgreSQL
# backend (pgx and 21 more packages) is left out of every build and test the
# go command runs from here (GOFLAGS), and of the binary (GOTAGS).
export GOFLAGS := -tags=ferretdb_no_postgresql
GOTAGS    := frontend,ferretdb_no_postgresql
# The Go release everything is built and tested with: the newest patch of Go
# 1.26. The go command fetches it once from the Go module proxy (about 76 MB)
# when the machine's own Go is another release. Security fixes to the
# standard library (net/http, crypto/tls, html/template) come in patch
# releases; `make vulncheck` fails when a reachable one is missing.
export GOTOOLCHAIN := go1.26.11
# The Go vulnerability database, as the golang.org/x/vulndb module on the Go
# module proxy (vuln.go.dev itself cannot be reached from every machine).
# Bump it like any dependency.
VULNDB    := v0.0.0-20261105234957-e22db6528018
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0

.PHONY: run test build frontend frontend-deps test-deps test-go test-frontend test-e2e test-dates vulncheck bench bench-web bench-org fuzz vet clean

## run: build everything and serve http://127.0.0.1:8080 with the embedded store and demo logins
run: build
	@echo "make run: serving $${PLEIN_BASE_URL:-http://127.0.0.1:8080} (listening on $${PLEIN_LISTEN:-127.0.0.1:8080}), data in $(PLEIN_DATA_DIR)"
	PLEIN_DATA_DIR=$(PLEIN_DATA_DIR) ./$(BIN)

## build: the frontend, then the server with the frontend embedded
build: frontend
	@echo "make build: compiling the server (the first build compiles about 800 packages: several minutes on 2 cores; later builds take seconds)"
	@# -v names each package as it is compiled: count them as progress, and
	@# pass every other line (errors have spaces, package paths do not).
	$(GO) build -v -tags $(GOTAGS) -trimpath -ldflags "-s -w" -o $(BIN) ./server/cmd/plein 2>&1 | \
		awk '/ / { print; next } { n++; if (n % 100 == 0) { printf "make build: %d packages compiled\n", n; fflush() } }'
	@echo "make build: $(BIN) is ready"

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch $@

frontend-deps: frontend/node_modules/.package-lock.json

# The home route's JavaScript stays within 100 KB gzip (issue 14 §5,
# docs/performance.md): the build fails above it.
frontend: frontend-deps
	cd frontend && $(NPM) run build
	cd frontend && node scripts/route-weight.mjs --budget-kb 100

## test: install what is missing, then run every test (Go with -race, frontend unit, browser end-to-end)
test: test-deps vet vulncheck test-frontend build test-go test-e2e
	@echo "make test: all suites passed"

test-deps: frontend-deps
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

vet: frontend-deps
	@# -trimpath as in `make build`: the packages vet compiles for their
	@# export data are then the very compilations the build reuses from the
	@# Go build cache (-trimpath is part of a compilation's cache key; the
	@# build tags are not). Without it make test compiled every package twice.
	$(GO) vet -trimpath ./...
	# Imports run one way in the frontend too (frontend/eslint.config.js).
	cd frontend && $(NPM) run lint
	@test -z "$$(gofmt -l server chat deploy frontend/*.go)" || (gofmt -l server chat deploy frontend/*.go; echo "gofmt needed"; exit 1)

## vulncheck: fail on a known vulnerability that the server's code can reach
## (govulncheck with the pinned database; then npm audit of the shipped frontend
## packages where the registry's audit endpoint answers)
vulncheck:
	@db="$$($(GO) env GOCACHE)/plein-vulndb-$(VULNDB)"; \
	if [ ! -f "$$db/index/db.json" ]; then \
		echo "vulncheck: building the vulnerability database $(VULNDB) (once per machine)"; \
		src="$$(cd / && $(GO) mod download -json golang.org/x/vulndb@$(VULNDB) | sed -n 's/^\t"Dir": "\(.*\)",$$/\1/p')"; \
		rm -rf "$$db.tmp"; \
		(cd / && $(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB) -vulns "$$src/data/osv" -out "$$db.tmp"); \
		mv "$$db.tmp" "$$db"; \
	fi; \
	$(GO) run $(GOVULNCHECK) -db "file://$$db" ./...
	@cd frontend && if out="$$($(NPM) audit --omit=dev --audit-level=high 2>&1)"; then echo "npm audit: no high or critical advisory in the shipped packages"; \
	elif echo "$$out" | grep -q "audit endpoint returned an error\|ENOTFOUND\|EAI_AGAIN"; then echo "npm audit: the registry's audit endpoint is not reachable from this machine; not checked (see docs/security.md)"; \
	else echo "$$out"; exit 1; fi

# The store runs in a process of its own, built without -race (see
# .ci/with-store.sh): the race detector checks Plein's code, not SQLite's.
# Its files are in memory (/dev/shm) where the machine has it: every commit
# fsyncs, about 4 ms each on disk, which no test checks (STORE_TMP in
# .ci/with-store.sh; docs/performance.md, "make test time").
TEST_STORE_TMP := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm)
test-go: build
	STORE_TMP=$(TEST_STORE_TMP) bash .ci/with-store.sh ./$(BIN) $(GO) test -race -count=1 -timeout 30m ./...
	# The _id index's query plan at full size (100,000 rows), which -race makes too slow.
	# (-trimpath: its dependencies are then the build's, already compiled.)
	$(GO) test -trimpath -count=1 -run '^TestIDIndexIsUsed$$' ./server/store/

test-frontend: frontend-deps
	cd frontend && $(NPM) test

test-e2e: build
	bash .ci/e2e.sh ./$(BIN)

## test-dates: the suites that read the calendar (the frontend unit tests, the
## app's API tests and the browser end-to-end tests) with the calendar moved 1, 2 and 13 months ahead
## through PLEIN_TEST_NOW; the domain packages' own tests use fixed clocks.
DATE_SHIFTS ?= 1 2 13
test-dates: test-deps build
	@failed=""; for m in $(DATE_SHIFTS); do \
		d=$$(date -u -d "$$(date -u +%Y-%m-15) +$$m month" +%Y-%m-%d); \
		echo "== calendar moved $$m month(s) ahead: PLEIN_TEST_NOW=$$d"; \
		(cd frontend && PLEIN_TEST_NOW=$$d $(NPM) test) || failed="$$failed vitest@$$d"; \
		PLEIN_TEST_NOW=$$d $(GO) test -count=1 -timeout 30m ./server/app/ || failed="$$failed server/app@$$d"; \
		PLEIN_TEST_NOW=$$d bash .ci/e2e.sh ./$(BIN) || failed="$$failed e2e@$$d"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test-dates: failed:$$failed"; exit 1; fi; \
	echo "make test-dates: all shifts passed"

## bench: bench-web, Go benchmarks and the load generator; results go in docs/performance.md by hand
# The load generator here is the short version (about 1,000 connections per
# scenario, 10 s windows, Plein and the reference hub); the full runs and
# their flags are in docs/performance.md, "Chat (issue 3)".
LOADGEN_FLAGS ?= -scenario teams,org -teams 84 -org-members 1000 -warmup 3s -duration 10s -connect-timeout 60s
bench: bench-web
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...
	$(GO) run ./chat/loadgen $(LOADGEN_FLAGS)
	$(MAKE) bench-org

## bench-org: HTTP reads at the scale of a real organisation (issue 10): p50/p99 of the API calls of home, a team page, the notification centre and an article
# 5,000 people, two years of posts, notifications and access-log entries on
# the embedded store, generated once into bin/orgbench (a few minutes; kept
# between runs, fixture.json says for which flags). About 2 minutes a run
# after that. Add -pprof <file> to ORGBENCH_FLAGS for a CPU profile of the
# server. See docs/performance.md, "HTTP reads at the scale of an organisation".
ORGBENCH_FLAGS ?=
bench-org:
	$(GO) run ./server/cmd/orgbench $(ORGBENCH_FLAGS)

## bench-web: the front end on a slow phone: home route JS weight, cold/warm loads (Fast 3G, 4x CPU) and Lighthouse mobile scores of home, team page and article
# Against a fresh server from $(BIN) with demo data (.ci/with-server.sh), in
# Debian's Chromium; BENCH_RUNS runs per page (medians). See docs/performance.md.
BENCH_RUNS ?= 3
bench-web: build
	cd frontend && node scripts/route-weight.mjs
	cd frontend && bash ../.ci/with-server.sh ../$(BIN) node scripts/cold-load.mjs $(BENCH_RUNS)
	cd frontend && bash ../.ci/with-server.sh ../$(BIN) node scripts/lighthouse.mjs $(BENCH_RUNS)

## fuzz: run each fuzz target for a short while (corpus kept in testdata/fuzz)
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

clean:
	rm -rf bin frontend/dist
