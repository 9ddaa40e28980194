import TestSupport
import Testing

/// The tests that run `moeserve serve` and load both CPUs or measure wall-clock latencies run one at a time,
/// and never beside the engine's timing tests (`EngineLoadTests`), so that none disturbs another's timing.
@Suite(.serialized, .wallClockExclusive) enum ServedBinaryTests {}
