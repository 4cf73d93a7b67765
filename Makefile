# The front door. `make demo` and `make test` do all set-up on a fresh Debian 12 machine:
# they install any missing Debian packages, configure, build and run. Thin wrapper over
# cmake --preset / ctest --preset (see CMakePresets.json).

DEBIAN_PACKAGES := cmake ninja-build g++ make pkg-config ccache \
	libgmp-dev nlohmann-json3-dev libyaml-cpp-dev libpugixml-dev libcli11-dev libfmt-dev \
	libgtest-dev libgmock-dev libbenchmark-dev clang-format libopenmpi-dev openmpi-bin

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Warnings are errors in CI (CI=true), warnings elsewhere.
WERROR := $(if $(filter true 1 yes,$(CI)),ON,OFF)
CONFIGURE = cmake --preset $(1) -DPARLEY_WERROR=$(WERROR) > build/configure-$(1).log 2>&1 \
	|| { cat build/configure-$(1).log; exit 1; }
PARLEY := build/release/apps/cli/parley

.PHONY: all deps build demo test test-release test-asan bench format tidy clean

all: build

deps:
	@missing=""; for package in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" \
	    || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

build: deps
	@mkdir -p build
	$(call CONFIGURE,release)
	cmake --build --preset release

demo: build
	$(PARLEY) info examples/ceasefire.yaml
	@echo
	$(PARLEY) analyze examples/ceasefire.yaml
	@echo
	$(PARLEY) negotiate examples/ceasefire.yaml --protocol shuttle --mediator "Qatar=nash_mediator" \
	  --mediator "United States=split_the_difference" --rounds 200 --seed 7
	@echo
	$(PARLEY) negotiate examples/ceasefire.yaml --protocol phased --rounds 200 --seed 7 \
	  --trace build/ceasefire-phased-trace.json --report build/ceasefire-phased-report.html
	@echo
	$(PARLEY) report examples/ceasefire.yaml -o build/ceasefire-report.html

test: test-release test-asan

test-release: build
	ctest --preset release

test-asan: deps
	@mkdir -p build
	$(call CONFIGURE,asan)
	cmake --build --preset asan
	ctest --preset asan

bench: build
	@for program in build/release/bench/parley_bench_*; do \
	  [ -x "$$program" ] || continue; "$$program" --benchmark_min_time=0.2 || exit 1; \
	done

format:
	find src apps tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

tidy: build
	git diff --name-only --diff-filter=d origin/main -- '*.cc' 2>/dev/null \
	  | xargs -r clang-tidy -p build/release

clean:
	rm -rf build

# The live server (apps/server) and its browser test (tests/browser): Debian's cpp-httplib, SQLite,
# OpenSSL and chromium; node and npm (Debian's when none is installed) for playwright-core.
DEBIAN_PACKAGES += libcpp-httplib-dev libsqlite3-dev libssl-dev chromium

.PHONY: browser-deps
browser-deps: deps
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends nodejs npm; }
	@[ -d tests/browser/node_modules/playwright-core ] || npm ci --prefix tests/browser --no-audit --no-fund

test-release test-asan: browser-deps

# PostgreSQL for `parley serve --db postgresql://...`: libpq (client library), and the server
# binaries (/usr/lib/postgresql/15/bin) with which the store tests start a throwaway cluster.
DEBIAN_PACKAGES += libpq-dev postgresql
