# Two commands do everything on a fresh machine: `make site` and `make test`.
SWIFT      ?= swift
BIN        := .build/release/tianshan
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test deps build serve clean

## Install libcmark-dev (Debian) when pkg-config cannot find libcmark.
deps:
	@pkg-config --exists libcmark 2>/dev/null || { \
	  echo "make: installing libcmark-dev"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcmark-dev pkg-config >/dev/null; }

## Build the tool in release mode.
build: deps
	$(SWIFT) build -c release --product tianshan

## Build Content/ with Templates/ into Output/.
site: build
	$(BIN) build --content Content --templates Templates --output Output

## Build the tool, then preview Content/ at http://127.0.0.1:$(PORT)/ with live reload (Ctrl-C stops it).
PORT ?= 8080
serve: build
	$(BIN) serve --content Content --templates Templates --port $(PORT)

## Everything CI runs.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) site

clean:
	rm -rf .build Output
