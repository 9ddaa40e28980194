# MoEServe quick start: `make run` builds and simulates the default scenario (DeepSeek-V3 on four HGX
# H800 nodes replaying ten minutes of Mooncake's trace); `make test` runs the test suite. Both install
# libnuma-dev first when it is missing (Debian/Ubuntu).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test deps format lint placement-report tuning-report bench-day

run: deps
	$(SWIFT) build -c release --product moeserve
	.build/release/moeserve simulate

# Three runs of one build. The engine's and the server's tests serve on the wall clock (Dispatch queues,
# step timeouts, held steps a test releases), so they run apart from the rest of the suite, whose long
# synchronous simulations would otherwise take every thread of the shared pool for minutes on a small
# machine. The engine's clock-agreement test measures wall-clock latencies, so it runs alone.
WALL_CLOCK_TESTS := ^(EngineTests|ServerTests)\.

test: deps
	$(SWIFT) test --skip '$(WALL_CLOCK_TESTS)'
	$(SWIFT) test --filter '$(WALL_CLOCK_TESTS)' --skip EngineClockAgreementTests
	$(SWIFT) test --filter EngineClockAgreementTests

# The simulator's day-scale benchmark (Docs/Performance.md): 20 million requests over a diurnal day on
# 160 H800 nodes, in release, with its wall time and peak memory.
bench-day: deps
	$(SWIFT) build -c release --product moeserve
	/usr/bin/time -f "wall %e s, peak resident memory %M KB" .build/release/moeserve simulate \
		--scenario Benchmarks/Scenarios/deepseek-v3-h800-day.yaml --json .build/day.json

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

# Regenerates the worked sweep and the cost waterfalls of Docs/Tuning.md (TuningDocTests checks them).
tuning-report: deps
	$(SWIFT) build -c release --product moeserve
	.build/release/moeserve tuning-report --update Docs/Tuning.md

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --recursive --strict Package.swift Sources Tests
