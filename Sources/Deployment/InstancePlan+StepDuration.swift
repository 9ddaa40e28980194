import MoECore
import PerfModel
import Scheduling

extension BatchShape {
    /// The aggregates of a scheduled step, as the step-time model takes them (O(1) whatever the batch).
    public init(_ batch: ScheduledBatch) {
        self.init(
            prefillTokens: Double(batch.prefillTokens),
            prefillAttentionContextProduct: Double(batch.prefillAttentionPairs),
            decodeSequences: Double(batch.decodeSequences),
            // The scheduler counts the new token in each decode sequence's context; the model does not.
            decodeContextTokens: Double(batch.decodeContextTokens - batch.decodeSequences))
    }
}

/// How long one scheduler step takes on an instance, and the step-time model's account of it.
public struct StepDuration: Sendable, Hashable {
    /// The step's length: the model's compute and communication plus any KV loaded from the host or disk
    /// tier before it.
    public var total: SimDuration
    /// The step-time model's answer for the batch (utilization and breakdown).
    public var model: StepTime
    /// Time spent loading prefix hits and swapped-in KV from the lower tiers, and swapping KV out.
    public var kvTransfer: SimDuration
}

extension InstancePlan {
    /// The duration of the scheduler step `batch`.
    ///
    /// With multi-token prediction, one model step yields `1 + a + a^2 + ...` tokens per decoding sequence
    /// while the scheduler counts one; the decode share of the step (its share of query tokens) is
    /// therefore charged at `1 / expectedTokensPerDecodeStep` of its time, so a request's time per output
    /// token is what MTP gives, and prefill work keeps its full time.
    public func stepDuration(of batch: ScheduledBatch) -> StepDuration {
        let step = stepTimeModel.stepTime(BatchShape(batch))
        let transfer = kvTransferTime(of: batch)
        return StepDuration(
            total: chargedTime(step.total, prefillTokens: batch.prefillTokens, decodeSequences: batch.decodeSequences)
                + transfer,
            model: step, kvTransfer: transfer)
    }

    /// One pure decode step of `sequences` sequences whose KV lengths (the new token included) sum to
    /// `contextTokens` (`ScheduledBatch.decodeContextTokens`): its duration, charged for multi-token
    /// prediction as ``stepDuration(of:)`` charges it, and the step-time model's account of it. O(1).
    public func decodeStep(sequences: Int, contextTokens: Int) -> (total: SimDuration, model: StepTime) {
        decodeSteps(sequences: sequences).step(contextTokens: contextTokens)
    }

    /// The pricing of pure decode steps of `sequences` sequences, prepared once for any context (see
    /// `PerfModel.PreparedStep`): what a run of decode steps uses, one O(1) evaluation per step.
    public func decodeSteps(sequences: Int) -> DecodeStepPricing {
        DecodeStepPricing(plan: self, sequences: sequences)
    }

    /// The total duration of a run of identical decode steps, each priced on its own context
    /// (``DecodeAdvance/contextTokens(atStep:)``) and rounded as a single step would be, so the sum equals
    /// the same steps taken one by one. O(steps).
    public func duration(of run: DecodeAdvance) -> SimDuration {
        var total = SimDuration.zero
        guard run.steps > 0 else { return total }
        let pricing = decodeSteps(sequences: run.sequences)
        for step in 1...run.steps { total += pricing.step(contextTokens: run.contextTokens(atStep: step)).total }
        return total
    }

    /// The model's step time scaled for multi-token prediction (see ``stepDuration(of:)``).
    func chargedTime(_ time: SimDuration, prefillTokens: Int, decodeSequences: Int) -> SimDuration {
        Self.chargedTime(
            time, prefillTokens: prefillTokens, decodeSequences: decodeSequences, tokensPerStep: tokensPerDecodeStep,
            queriesPerSequence: queryTokensPerDecodeSequence)
    }

    /// ``chargedTime(_:prefillTokens:decodeSequences:)`` from the instance's two MTP figures alone.
    static func chargedTime(
        _ time: SimDuration, prefillTokens: Int, decodeSequences: Int, tokensPerStep: Double, queriesPerSequence: Int
    ) -> SimDuration {
        guard tokensPerStep > 1, decodeSequences > 0 else { return time }
        let decodeQueries = Double(decodeSequences * queriesPerSequence)
        let decodeShare = decodeQueries / (decodeQueries + Double(prefillTokens))
        return .seconds(time.seconds * (1 - decodeShare * (1 - 1 / tokensPerStep)))
    }

    /// Time to bring host and disk prefix hits and swapped-in KV into HBM, and to copy swapped-out KV to the
    /// host, at the tiers' bandwidths.
    func kvTransferTime(of batch: ScheduledBatch) -> SimDuration {
        let cache = kvCacheConfiguration
        var time = SimDuration.zero
        if let host = cache.hostTier {
            let tokens = batch.prefixHitTokens.host + batch.swapInTokens + batch.swapOutTokens
            if tokens > 0 { time += cache.loadTime(tokens: tokens, from: host) }
        }
        if let disk = cache.diskLoadBandwidth, batch.prefixHitTokens.disk > 0 {
            time += cache.loadTime(tokens: batch.prefixHitTokens.disk, at: disk)
        }
        return time
    }
}

/// Prices pure decode steps of a fixed number of sequences on one instance, whatever their context:
/// ``InstancePlan/decodeStep(sequences:contextTokens:)`` for many steps at the cost of one preparation.
public struct DecodeStepPricing: Sendable {
    /// Sequences decoding in every step priced.
    public let sequences: Int
    private let prepared: PreparedStep
    private let tokensPerStep: Double
    private let queriesPerSequence: Int

    init(plan: InstancePlan, sequences: Int) {
        self.sequences = sequences
        prepared = plan.stepTimeModel.prepared(BatchShape(decodeSequences: Double(sequences)))
        tokensPerStep = plan.tokensPerDecodeStep
        queriesPerSequence = plan.queryTokensPerDecodeSequence
    }

    /// The step whose sequences' KV lengths (the new token included) sum to `contextTokens`.
    public func step(contextTokens: Int) -> (total: SimDuration, model: StepTime) {
        let step = prepared.stepTime(decodeContextTokens: Double(contextTokens - sequences))
        let total = InstancePlan.chargedTime(
            step.total, prefillTokens: 0, decodeSequences: sequences, tokensPerStep: tokensPerStep,
            queriesPerSequence: queriesPerSequence)
        return (total, step)
    }
}
