# MoEServe quick start: `make run` builds and shows the catalog and this host's NUMA layout;
# `make test` runs the test suite. Both install libnuma-dev first when it is missing (Debian/Ubuntu).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test deps format lint placement-report

run: deps
	$(SWIFT) build -c release --product moeserve
	.build/release/moeserve catalog
	@echo
	.build/release/moeserve topology

test: deps
	$(SWIFT) test

# libnuma's header and pkg-config file come with libnuma-dev; the CNUMA target needs both.
deps:
	@if [ -f /usr/include/numa.h ] && pkg-config --exists numa 2>/dev/null; then :; else \
		echo "Installing libnuma-dev (and pkg-config)"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libnuma-dev pkg-config; \
	fi

# Regenerates the comparison tables of Docs/Placement.md from the shipped expert-load matrices.
placement-report: deps
	$(SWIFT) build -c release --product moeserve
	.build/release/moeserve placement-report Simulations/expert-loads --update Docs/Placement.md

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --recursive --strict Package.swift Sources Tests
