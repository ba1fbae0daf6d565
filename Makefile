# fairshare - top-level Makefile: installs what is missing (Debian packages),
# then builds with Meson + Ninja. `make run` and `make test` are the Quick start.

BUILD      ?= build
FUZZ_SECONDS ?= 60
TEST_BUILD ?= build-test
DEMO_DB    ?= demo/fairshare.db
DEPS       = gcc pkg-config meson ninja-build libsqlite3-dev libjansson-dev libsodium-dev zlib1g-dev \
             libcmocka-dev libmicrohttpd-dev libgnutls28-dev nettle-dev libgfshare-dev sqlite3 curl jq hledger ledger \
             libpq-dev postgresql libcurl4-openssl-dev libqrencode-dev node-tweetnacl
# make test's deploy checks (t25): build the .deb, lint it, rate the unit, TLS clients
DEPLOY_DEPS = debhelper dpkg-dev fakeroot lintian systemd openssl gnutls-bin
# make bench: the references (nginx, sqlite3, ledger), the load (wrk), the timings
# (hyperfine, time), the instruction counts (valgrind --tool=callgrind)
BENCH_DEPS = sqlite3 time hyperfine bc nginx wrk valgrind curl ledger
FUZZ_DEPS  = clang libclang-rt-14-dev
COVERAGE_DEPS = lcov
MUTATE_JOBS ?= 1
# make install, GNU style: make install PREFIX=/usr DESTDIR=/tmp/root
PREFIX     ?= /usr/local
prefix     ?= $(PREFIX)
bindir     ?= $(prefix)/bin
datadir    ?= $(prefix)/share
mandir     ?= $(datadir)/man
libexecdir ?= $(prefix)/libexec
INSTALL_BUILD ?= build-install
SUDO       = $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: all deps browser-deps build run test bench fuzz fuzz-build mutate coverage install clean

all: build

# Install the Debian packages that are not installed yet (nothing when all are).
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(DEPS))

# Browser tests: Debian's chromium driven by playwright-core from npm.
browser-deps: deps
	$(call apt_install,chromium)
	@command -v node >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs; }
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }
	@[ -d tests/browser/node_modules/playwright-core ] || (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) --buildtype=release

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	@mkdir -p $(dir $(DEMO_DB))
	@if [ ! -f $(DEMO_DB) ]; then $(BUILD)/fairshare --db $(DEMO_DB) demo; fi
	$(BUILD)/fairshare --db $(DEMO_DB) summary
	@echo
	@echo "demo login: admin / fairshare-demo (also organizer, treasurer, viewer; same password)"
	$(BUILD)/fairshare --db $(DEMO_DB) serve --listen 127.0.0.1:8080

# The test build: ASan + UBSan, every warning an error.
$(TEST_BUILD)/build.ninja: | deps
	meson setup $(TEST_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

install: deps
	if [ -f $(INSTALL_BUILD)/build.ninja ]; then \
	  meson configure $(INSTALL_BUILD) -Dprefix=$(prefix) -Dbindir=$(bindir) -Ddatadir=$(datadir) -Dmandir=$(mandir) -Dlibexecdir=$(libexecdir); \
	else \
	  meson setup $(INSTALL_BUILD) --buildtype=release --prefix=$(prefix) --bindir=$(bindir) --datadir=$(datadir) \
	    --mandir=$(mandir) --libexecdir=$(libexecdir); \
	fi
	ninja -C $(INSTALL_BUILD) fairshare
	meson install -C $(INSTALL_BUILD) --no-rebuild $(if $(DESTDIR),--destdir $(abspath $(DESTDIR)))

# The fuzz targets, built with clang and libFuzzer (as `make fuzz` does): `make test`
# builds them too, so a change clang refuses cannot land unnoticed.
FUZZ_BUILD ?= build-fuzz
FUZZ_TARGETS = fuzz/fuzz_csv fuzz/fuzz_import fuzz/fuzz_rules fuzz/fuzz_body
fuzz-build: deps
	$(call apt_install,$(FUZZ_DEPS))
	[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=true --buildtype=debug \
	  -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C $(FUZZ_BUILD) $(FUZZ_TARGETS)

test: deps browser-deps fuzz-build $(TEST_BUILD)/build.ninja
	$(call apt_install,$(DEPLOY_DEPS))
	ninja -C $(TEST_BUILD)
	FUZZ_BUILD=$(FUZZ_BUILD) tests/run-all.sh $(TEST_BUILD)

# Every benchmark; figures, references, ratios and instructions per row or request
# to bench/results.json (doc/performance.md). BENCH_N=100000 for a shorter run.
bench: build browser-deps
	$(call apt_install,$(BENCH_DEPS))
	sh bench/run.sh $(BUILD)

fuzz: fuzz-build
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Mutation testing (long; not part of `make test`): every mutant of tests/mutants/*.mut
# planted in a scratch copy (build-mutate/), killed or not by the suites; the score
# goes to bench/results.json. MUTATE_JOBS=2 runs two scratch trees side by side.
mutate: deps browser-deps
	MUTATE_JOBS=$(MUTATE_JOBS) sh tests/mutate.sh

# Line and branch coverage of src/ (gcov + lcov): HTML in build-coverage/html/,
# a per-folder summary printed.
coverage: deps browser-deps
	$(call apt_install,$(COVERAGE_DEPS))
	sh tests/coverage.sh build-coverage

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(INSTALL_BUILD) $(FUZZ_BUILD) build-mutate build-coverage
