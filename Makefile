# MoEServe quick start: `make run` builds and simulates the default scenario (DeepSeek-V3 on four HGX
# H800 nodes replaying ten minutes of Mooncake's trace); `make test` runs the test suite. Both install
# libnuma-dev first when it is missing (Debian/Ubuntu).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test deps format lint

run: deps
	$(SWIFT) build -c release --product moeserve
	.build/release/moeserve simulate

test: deps
	$(SWIFT) test

# libnuma's header and pkg-config file come with libnuma-dev; the CNUMA target needs both.
deps:
	@if [ -f /usr/include/numa.h ] && pkg-config --exists numa 2>/dev/null; then :; else \
		echo "Installing libnuma-dev (and pkg-config)"; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libnuma-dev pkg-config; \
	fi

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --recursive --strict Package.swift Sources Tests
