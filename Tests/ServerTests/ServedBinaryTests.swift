import Testing

/// The tests that run `moeserve serve` and load both CPUs or measure wall-clock latencies run one at a time,
/// so that none of them disturbs another's timing (other test targets may still run beside them).
@Suite(.serialized) enum ServedBinaryTests {}
