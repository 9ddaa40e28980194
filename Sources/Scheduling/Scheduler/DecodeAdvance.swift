import MoECore

/// What ``BatchScheduler/advanceDecode(steps:now:)`` did: `steps` identical decode steps over the same
/// `sequences` requests, each gaining one token per step.
///
/// Step `s` (1-based) of the run has `sequences` decode tokens attending to
/// `firstStepContextTokens + (s - 1) * sequences` tokens in all, so a step-time model prices each step in O(1).
public struct DecodeAdvance: Sendable, Hashable {
    /// Decode steps applied.
    public var steps: Int
    /// Requests decoding in every one of those steps (each got `steps` tokens).
    public var sequences: Int
    /// `ScheduledBatch.decodeContextTokens` of the first of the steps.
    public var firstStepContextTokens: Int
    /// Finish events, all at the end of the last step.
    public var events: [RequestEvent]
    /// Statistics as the last of the steps was scheduled.
    public var lastStepStatistics: SchedulerStatistics

    /// `decodeContextTokens` of step `step` (1-based) of the run.
    public func contextTokens(atStep step: Int) -> Int { firstStepContextTokens + (step - 1) * sequences }
}
