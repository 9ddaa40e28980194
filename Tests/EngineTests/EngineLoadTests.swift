import Testing

/// The engine tests that load both CPUs or measure wall-clock pacing run one at a time, so that none of
/// them disturbs another's timing (other test targets may still run beside them).
@Suite(.serialized) enum EngineLoadTests {}
