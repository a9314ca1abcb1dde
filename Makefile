# Tend: `make demo` runs the main job on the bundled sample, `make test` runs every test.
# Each target installs what it is missing (scripts/setup.sh): the wasm32 target, wasm-bindgen-cli
# at Cargo.lock's version (into .tools/), npm dev dependencies, and for tests Chromium.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

SAMPLE := www/sample/export.json

.PHONY: help setup setup-build build test test-native test-wasm test-js test-e2e test-python demo extension bench bench-spark size fuzz clean

help:
	@echo "make demo    build the npm package, run its CLI on the sample export, serve the demo page"
	@echo "make extension  build the browser extension (extension/dist, extension/dist.zip)"
	@echo "make test    every test: native, wasm (Node + headless Chromium), JS package, types"
	@echo "make build   the npm package in pkg/ (wasm in pkg/wasm/)"
	@echo "make bench   the engine on 100k customers / 3.64M rows (JSON and CSV), .wasm size, the demo page"
	@echo "make test-python  the Python package and the Spark tests (PySpark local[2] and Sail)"
	@echo "make bench-spark  Spark (local[2], Sail) against tend.analyze on 500k customers / 15M rows"
	@echo "make fuzz    every cargo-fuzz target for 60 s each (nightly; FUZZ_SECONDS, FUZZ_RUNS, FUZZ_TARGET)"
	@echo "make setup   install what is missing (also run by the targets above)"

setup:
	bash scripts/setup.sh

setup-build:
	bash scripts/setup.sh build

build: setup-build
	bash scripts/build.sh
	bash scripts/www.sh

test: setup build
	bash scripts/test.sh

test-native:
	bash scripts/test.sh native

test-wasm: setup
	bash scripts/test.sh wasm-node wasm-browser

test-js: build
	bash scripts/test.sh js types

test-e2e: build
	bash scripts/test.sh e2e-demo e2e-extension

test-python: build
	bash scripts/setup.sh python
	bash scripts/test.sh python spark

$(SAMPLE):
	node tools/gen-sample.mjs

# The main job on the sample (the CLI), then the demo page served on 127.0.0.1 (Ctrl-C stops it;
# DEMO_SERVE=0 skips it).
demo: build $(SAMPLE)
	node pkg/cli.js $(SAMPLE)
	@if [ "$${DEMO_SERVE:-1}" = 1 ]; then node tests/e2e/server.mjs; fi

# The Manifest V3 extension: extension/dist and extension/dist.zip.
extension: build
	bash scripts/extension.sh

# The engine's figures (bench/out/engine.json; the inputs, bench/big.json and its CSV folder and
# the orders-only CDNOW×10 export, are made when missing), criterion natively, the buying models,
# the demo page in Chromium.
bench: build $(SAMPLE)
	node --max-old-space-size=8192 bench/engine.mjs
	cargo bench --bench native -- --noplot
	node bench/models.mjs
	node bench/demo.mjs

# Spark against one process: rows/s and customers/s per core (bench/spark.py; BENCH_CUSTOMERS,
# BENCH_TENANTS, BENCH_ENGINES override the size and the engines).
bench-spark:
	bash scripts/setup.sh python
	.venv/bin/python bench/spark.py

size: build
	@cat bench/out/size.json

fuzz:
	bash scripts/fuzz.sh

clean:
	cargo clean
	rm -rf pkg/wasm bench/out
