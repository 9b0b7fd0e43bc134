# Flowhost: the two commands for a fresh machine are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
GUEST_TARGET := wasm32-wasip2
GUEST_DIR := target/guests
GUEST_OUT := $(GUEST_DIR)/$(GUEST_TARGET)/guest
BUILTIN_OUT := target/builtin-components
TESTCOMP_OUT := target/test-components

# Guest crates: every built-in component, and the hostile ones the tests use.
BUILTIN_CRATES := $(notdir $(wildcard builtin-components/*))
TEST_CRATES := $(notdir $(wildcard tests/components/*))

.PHONY: run build test setup components test-components bench clean fmt

## setup: install what the build needs (the wasm target for guest components).
setup:
	@rustup target list --installed | grep -qx $(GUEST_TARGET) || rustup target add $(GUEST_TARGET)

## components: build the built-in components into $(BUILTIN_OUT).
components: setup
	$(CARGO) build --profile guest --target $(GUEST_TARGET) --target-dir $(GUEST_DIR) \
		$(addprefix -p builtin-,$(BUILTIN_CRATES))
	@mkdir -p $(BUILTIN_OUT)
	@rm -f $(BUILTIN_OUT)/*.wasm
	@for c in $(BUILTIN_CRATES); do \
		cp $(GUEST_OUT)/builtin_$${c//-/_}.wasm $(BUILTIN_OUT)/; done
	@ls -l $(BUILTIN_OUT)

## test-components: build the hostile components the test suite loads as plugins.
test-components: setup
	$(CARGO) build --profile guest --target $(GUEST_TARGET) --target-dir $(GUEST_DIR) \
		$(addprefix -p test-component-,$(TEST_CRATES))
	@mkdir -p $(TESTCOMP_OUT)
	@for c in $(TEST_CRATES); do \
		cp $(GUEST_OUT)/test_component_$${c//-/_}.wasm $(TESTCOMP_OUT)/; done

## build: the release binary target/release/flowhost with the built-ins embedded.
build: components
	$(CARGO) build --release -p flowhost

## run: build everything and start the server on the embedded SQLite default.
run: build
	./target/release/flowhost serve

## test: build components, host and tests (one release profile) and run every test.
test: components test-components
	$(CARGO) test --release -p flowhost -p flowhost-tests

## bench: criterion benchmarks and the HTTP load run (see BENCHMARKS.md).
bench: components test-components
	$(CARGO) bench -p flowhost-bench
	./bench/load.sh

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
