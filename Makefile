# Tend: `make demo` runs the main job on the bundled sample, `make test` runs every test.
# Each target installs what it is missing (scripts/setup.sh): the wasm32 target, wasm-bindgen-cli
# at Cargo.lock's version (into .tools/), npm dev dependencies, and for tests Chromium.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

SAMPLE := www/sample/export.json
BIG := bench/big.json

.PHONY: help setup setup-build build test test-native test-wasm test-js demo bench size fuzz clean

help:
	@echo "make demo    build the npm package and run its CLI on the sample export"
	@echo "make test    every test: native, wasm (Node + headless Chromium), JS package, types"
	@echo "make build   the npm package in pkg/ (wasm in pkg/wasm/)"
	@echo "make bench   .wasm size and analyze() timings (sample + 100k customers / 3M rows)"
	@echo "make fuzz    cargo fuzz for 60 s (nightly)"
	@echo "make setup   install what is missing (also run by the targets above)"

setup:
	bash scripts/setup.sh

setup-build:
	bash scripts/setup.sh build

build: setup-build
	bash scripts/build.sh

test: setup build
	bash scripts/test.sh

test-native:
	bash scripts/test.sh native

test-wasm: setup
	bash scripts/test.sh wasm-node wasm-browser

test-js: build
	bash scripts/test.sh js types

$(SAMPLE):
	node tools/gen-sample.mjs

demo: build $(SAMPLE)
	node pkg/cli.js $(SAMPLE)

$(BIG):
	node tools/gen-sample.mjs --customers 100000 --rows 3000000 --out $(BIG)

bench: build $(SAMPLE) $(BIG)
	node --max-old-space-size=8192 bench/analyze.mjs

size: build
	@cat bench/out/size.json

fuzz:
	bash scripts/fuzz.sh

clean:
	cargo clean
	rm -rf pkg/wasm bench/out
