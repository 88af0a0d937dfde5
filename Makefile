# Two commands do everything on a fresh machine: `make site` and `make test`.
SWIFT      ?= swift
BIN        := .build/release/tianshan
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test deps test-deps pdf-deps build serve clean check-site check-content same-output fuzz bench differential callgrind

## Install libcmark-dev (Debian) when pkg-config cannot find libcmark.
deps:
	@pkg-config --exists libcmark 2>/dev/null || { \
	  echo "make: installing libcmark-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcmark-dev pkg-config >/dev/null; }

## Build the tool in release mode.
build: deps
	$(SWIFT) build -c release --product tianshan

## WeasyPrint for the report's PDF: PyPI's 70.0 in a virtual environment of its own (Debian's 57 takes ten times
## as long and cannot tag a PDF for screen readers), with Pango and the Noto CJK fonts from Debian.
PDFVENV    := .build/pdf
pdf-deps:
	@{ dpkg -s libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null 2>&1; } || { \
	  echo "make: installing Pango and the Noto CJK fonts for the PDF"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk >/dev/null; }
	@$(PDFVENV)/bin/python3 -c "import importlib.metadata as m; assert m.version('weasyprint') == '70.0'" 2>/dev/null || { \
	  echo "make: installing WeasyPrint 70.0 into $(PDFVENV)"; \
	  python3 -m venv $(PDFVENV) && $(PDFVENV)/bin/python3 -m pip install -q weasyprint==70.0; }

## Build Content/ with Templates/ into Output/ (the report also as a PDF).
site: build pdf-deps
	$(BIN) build --content Content --templates Templates --output Output

## Build the tool, then preview Content/ at http://127.0.0.1:$(PORT)/ with live reload (Ctrl-C stops it).
PORT ?= 8080
serve: build
	$(BIN) serve --content Content --templates Templates --port $(PORT)

CHECKS     ?= ../shared/checks/run_all.sh

## openpyxl and feedparser (PyPI), with which the tests write real Excel workbooks and read the feeds back, in a
## virtual environment of their own.
PYVENV     := .build/test-python
TEST_PYTHON := $(abspath $(PYVENV))/bin/python
test-deps: pdf-deps
	@$(TEST_PYTHON) -c "import openpyxl, feedparser" 2>/dev/null || { \
	  echo "make: installing openpyxl and feedparser for the spreadsheet and feed tests"; \
	  python3 -m venv $(PYVENV) && $(TEST_PYTHON) -m pip install -q openpyxl feedparser; }
	@command -v pdftotext >/dev/null 2>&1 || { \
	  echo "make: installing poppler-utils, which the tests read the PDF with"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

## Everything CI runs: unit and end-to-end tests, the shipped site, and the independent site checkers.
test: deps test-deps
	$(SWIFT) build --build-tests
	TIANSHAN_PYTHON=$(TEST_PYTHON) $(SWIFT) test --skip-build
	$(MAKE) check-content
	$(MAKE) site
	$(MAKE) check-site

## The shipped site's narrative is our own: no Content sentence of 25+ characters is a seed's verbatim.
SEEDS ?= ../shared/seeds
check-content:
	python3 Tests/Content/verbatim_check.py --self-test
	@if [ -d "$(SEEDS)" ]; then python3 Tests/Content/verbatim_check.py Content "$(SEEDS)"; \
	else echo "make: $(SEEDS) not found; the source documents live in ../shared/seeds" >&2; exit 2; fi

## Independent checkers (Nu HTML checker, LinkChecker, axe in Chromium, XSS scan) over Output/; they install what they need.
## Also builds the hostile-input fixture site and runs the XSS scanner over it.
# The theme's two scripts, which the XSS scan is told are ours (any other script in the output is a finding).
XSS_ALLOW := --allow-src /assets/tables.js --allow-src /assets/search.js
check-site: build
	@if [ -f "$(CHECKS)" ]; then XSS_ARGS="$(XSS_ALLOW)" bash "$(CHECKS)" Output; \
	else echo "make: $(CHECKS) not found; the site checkers live in ../shared/checks" >&2; exit 2; fi
	$${CHECKS_VENV:-/tmp/checks-venv}/bin/python Tests/Browser/tables_check.py Output
	XSS_SCAN=$(dir $(CHECKS))xss_scan.py XSS_ARGS="$(XSS_ALLOW)" $${CHECKS_VENV:-/tmp/checks-venv}/bin/python Tests/Browser/search_check.py Output
	$(BIN) build --quiet --content Tests/Fixtures/hostile-site/Content --templates Templates --output .build/hostile-output
	$${CHECKS_VENV:-/tmp/checks-venv}/bin/python $(dir $(CHECKS))xss_scan.py .build/hostile-output $(XSS_ALLOW)

DIFF_STEPS ?= 2000

## Differential test of incremental builds with a fresh random seed and DIFF_STEPS edits (2000; make test runs
## it with a fixed seed and 320). Prints the seed; TIANSHAN_DIFF_SEED=<seed> make differential replays a run.
differential: deps
	$(SWIFT) build --build-tests
	@seed=$${TIANSHAN_DIFF_SEED:-$$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')}; \
	echo "make differential: seed $$seed, $(DIFF_STEPS) steps"; \
	TIANSHAN_DIFF_SEED=$$seed TIANSHAN_DIFF_STEPS=$(DIFF_STEPS) $(SWIFT) test --skip-build --filter Differential \
	  || { echo "make differential: failed with seed $$seed (replay: TIANSHAN_DIFF_SEED=$$seed make differential)" >&2; exit 1; }

FUZZ_SECONDS ?= 60
FUZZ_BIN     := .build-fuzz/debug/tianshan-fuzz

## libFuzzer + AddressSanitizer over front matter, YAML/JSON/CSV decoding and Markdown, seeded from Content/.
## Crashing inputs land in .build-fuzz/crashes/; copy each into Tests/Fixtures/fuzz-regressions/ once fixed.
fuzz: deps
	$(SWIFT) build --scratch-path .build-fuzz --product tianshan-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xcc -fsanitize=fuzzer-no-link,address
	rm -rf .build-fuzz/corpus && mkdir -p .build-fuzz/corpus .build-fuzz/crashes
	find Content Tests/Fixtures -type f \( -name '*.md' -o -name '*.yaml' -o -name '*.json' -o -name '*.csv' \) \
	  -exec cp {} .build-fuzz/corpus/ \; 2>/dev/null; true
	$(FUZZ_BIN) .build-fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
	  -artifact_prefix=.build-fuzz/crashes/ -print_final_stats=1

## Tianshan vs Hugo build benchmark (Benchmarks/README.md); e.g. make bench BENCH_ARGS="--runs 3 --no-big".
bench:
	bash Benchmarks/run.sh $(BENCH_ARGS)

## Instruction counts (valgrind --tool=callgrind) of a cold 1,000-page build: repeatable on a busy machine.
callgrind: build
	bash Benchmarks/callgrind.sh $(CALLGRIND_ARGS)

## An optimisation changes no output byte: e.g. make same-output BEFORE_REV=main~3 (or BEFORE=path/to/tianshan).
same-output: build
	bash Benchmarks/same-output.sh $(if $(BEFORE_REV),--before-rev $(BEFORE_REV),--before $(BEFORE))

clean:
	rm -rf .build Output
