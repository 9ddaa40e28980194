import TestSupport
import Testing

/// The engine tests that load both CPUs or measure wall-clock pacing run one at a time, and never beside the
/// server's (`ServedBinaryTests`), so that none of them disturbs another's timing (other tests may still run
/// beside them).
@Suite(.serialized, .wallClockExclusive) enum EngineLoadTests {}
