# The front door. `make demo` and `make test` do all set-up on a fresh Debian 12 machine:
# they install any missing Debian packages, configure, build and run. Thin wrapper over
# cmake --preset / ctest --preset (see CMakePresets.json).

# Every Debian package `make demo` / `make test` install, by what needs it (the tidy target adds
# its own below).
# The toolchain; the library's dependencies (libboost-dev: the header-only Boost.Math, and
# Beast/Asio for the live server); tests, benchmarks, formatting; the MPI backend of tournaments.
DEBIAN_PACKAGES := cmake ninja-build g++ make pkg-config ccache \
	libgmp-dev nlohmann-json3-dev libyaml-cpp-dev libpugixml-dev libcli11-dev libfmt-dev \
	libgtest-dev libgmock-dev libbenchmark-dev clang-format libopenmpi-dev openmpi-bin \
	libboost-dev
# The live server (apps/server) and its tests: cpp-httplib (the server tests' client), SQLite,
# OpenSSL; chromium for the browser test (tests/browser), with node and npm (Debian's when none
# is installed, browser-deps below) for playwright-core.
DEBIAN_PACKAGES += libcpp-httplib-dev libsqlite3-dev libssl-dev chromium
# PostgreSQL for `parley serve --db postgresql://...`: libpq (client library), and the server
# binaries (/usr/lib/postgresql/15/bin) with which the store tests start a throwaway cluster.
DEBIAN_PACKAGES += libpq-dev postgresql
# The Python package (bindings/python) and its tests (pytest, numpy, pandas, matplotlib for the
# example), with Debian's interpreter; the NegMAS interoperability tests import NegMAS from
# ../shared/negmas, which needs these packages (its README lists them).
DEBIAN_PACKAGES += python3-dev pybind11-dev python3-pybind11 python3-numpy python3-pytest \
	python3-pandas python3-matplotlib python3-setuptools python3-venv python3-pip \
	python3-attr python3-click python3-cloudpickle python3-colorlog python3-dill python3-inflect \
	python3-plotly python3-pil python3-networkx python3-psutil python3-rich python3-sklearn \
	python3-tabulate python3-typer python3-yaml python3-typing-extensions python3-scipy \
	python3-pebble
# The fuzz targets (make test fuzzes them): clang 14 and its libFuzzer (docs/fuzzing.md).
DEBIAN_PACKAGES += clang-14 libclang-rt-14-dev

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Warnings are errors in every build (a developer sees what CI would refuse); `make WERROR=OFF`
# for a compiler newer than Debian 12's that warns about more.
WERROR ?= ON
CONFIGURE = cmake --preset $(1) -DPARLEY_WERROR=$(WERROR) > build/configure-$(1).log 2>&1 \
	|| { cat build/configure-$(1).log; exit 1; }
PARLEY := build/release/apps/cli/parley
# ctest runs test processes side by side: most cases are short processes that wait on files,
# sockets or child processes, so one per core keeps both cores busy.
TEST_JOBS ?= $(shell nproc)

.PHONY: all deps build python demo test test-release test-asan test-fuzz fuzz fuzz-build bench \
	format tidy clean

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

# The Python package (docs/python.md): build/python/parley, used with PYTHONPATH=build/python.
python: deps
	@mkdir -p build
	$(call CONFIGURE,release)
	cmake --build --preset release --target parley_python

demo: build
	$(PARLEY) info examples/ceasefire.yaml
	@echo
	$(PARLEY) analyze examples/ceasefire.yaml
	@echo
	@echo "# How robust is 'no deal as positions stand'? 10,000 plausible sets of preferences:"
	$(PARLEY) analyze examples/ceasefire.yaml --samples 10000 --report build/ceasefire-robust-report.html
	@echo
	@echo "# Learning from an invented record of the fictional riverside talks, and a forecast:"
	$(PARLEY) analyze examples/riverside.yaml --samples 2000 --spread 0.2 \
	  --record examples/riverside_record.yaml
	@echo
	$(PARLEY) forecast examples/riverside_record.yaml --report build/riverside-forecast.html
	@echo
	$(PARLEY) negotiate examples/ceasefire.yaml --protocol shuttle --mediator "Qatar=nash_mediator" \
	  --mediator "United States=split_the_difference" --rounds 200 --seed 7
	@echo
	$(PARLEY) negotiate examples/ceasefire.yaml --protocol phased --rounds 200 --seed 7 \
	  --trace build/ceasefire-phased-trace.json --report build/ceasefire-phased-report.html
	@echo
	$(PARLEY) report examples/ceasefire.yaml -o build/ceasefire-report.html

test: test-release test-asan test-fuzz

test-release: build
	ctest --preset release --parallel $(TEST_JOBS)

test-asan: deps
	@mkdir -p build
	$(call CONFIGURE,asan)
	cmake --build --preset asan
	ctest --preset asan --parallel $(TEST_JOBS)

bench: build
	@for program in build/release/bench/parley_bench_*; do \
	  [ -x "$$program" ] || continue; "$$program" --benchmark_min_time=0.2 || exit 1; \
	done

format:
	find src apps tests bench bindings -name '*.h' -o -name '*.cc' | xargs clang-format -i

# clang-tidy with .clang-tidy's checks (function size and cognitive complexity) on every source
# of src/ and apps/ but tests, TIDY_JOBS at a time; the findings are listed (all of them in
# build/tidy.log), not fatal yet. The build's GCC-only warning flags are no errors for clang.
TIDY_PACKAGES := clang-tidy
TIDY_JOBS ?= $(shell nproc)
tidy: DEBIAN_PACKAGES += $(TIDY_PACKAGES)
tidy: build
	run-clang-tidy -p build/release -j $(TIDY_JOBS) -quiet \
	  -extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-error \
	  '^(?!.*_test\.cc$$).*/(src|apps)/' 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' \
	  | tee build/tidy.log | grep -E 'warning:' || true

clean:
	rm -rf build

.PHONY: browser-deps
browser-deps: deps
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends nodejs npm; }
	@[ -d tests/browser/node_modules/playwright-core ] || npm ci --prefix tests/browser --no-audit --no-fund

test-release test-asan: browser-deps

# Fuzzing (docs/fuzzing.md): the fuzz preset builds the library and the libFuzzer targets (no
# other tests) with Debian's clang 14, -fsanitize=fuzzer-no-link and ASan+UBSan. `make test`
# fuzzes last (test-fuzz): ctest runs each target for PARLEY_FUZZ_SECONDS (25; tests
# fuzz.<target>, label fuzz), keeping findings in build/fuzz/fuzz-findings/. `make fuzz` runs
# longer campaigns: every target for FUZZ_SECONDS, FUZZ_JOBS at a time, keeping findings under
# tests/fuzz/regressions/<target>/ and failing. (The asan build stays on g++: the same build with
# clang and coverage instrumentation took about twice the CPU time.)
FUZZ_TARGETS := parley_yaml parley_json genius_xml geniusweb_json trace_json tournament_config \
	results http_body
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 2

fuzz-build: deps
	@mkdir -p build
	$(call CONFIGURE,fuzz)
	cmake --build --preset fuzz

fuzz: fuzz-build
	@printf '%s\n' $(FUZZ_TARGETS) | \
	  xargs -P $(FUZZ_JOBS) -I TARGET tests/fuzz/fuzz.sh build/fuzz TARGET $(FUZZ_SECONDS)

test-fuzz: fuzz-build
	ctest --preset fuzz --parallel $(TEST_JOBS)
