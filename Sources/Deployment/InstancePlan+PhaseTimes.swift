import MoECore
import PerfModel
import Scheduling

/// How one step's time divides between the work on prompts and the work on outputs: what cost per input
/// and per output token is computed from. The three parts sum to the step's duration.
public struct StepPhaseTimes: Sendable, Hashable {
    /// Computing prompt tokens that were not prefix-cache hits (prefill chunks and recomputes).
    public var prefill: SimDuration
    /// Decoding, and copying preempted requests' KV cache out to and back from the host tier.
    public var decode: SimDuration
    /// Loading prefix-cache hits from the host and disk tiers into HBM.
    public var prefixLoad: SimDuration

    /// Creates a split.
    public init(prefill: SimDuration, decode: SimDuration, prefixLoad: SimDuration) {
        self.prefill = prefill
        self.decode = decode
        self.prefixLoad = prefixLoad
    }

    /// The whole step.
    public var total: SimDuration { prefill + decode + prefixLoad }
}

extension InstancePlan {
    /// Splits the step `batch`, which took `duration`, between prefill, decode and prefix loads.
    ///
    /// Tier transfers are assigned by what they carry (prefix hits to `prefixLoad`, swaps to `decode`).
    /// The compute of a step that mixes prefill and decode is shared in proportion to what each part would
    /// take alone on this instance (the step-time model asked twice more), so neither phase is charged
    /// for the other's work and the overlap between them is shared pro rata. A pure step goes whole to
    /// its phase, at no extra evaluation. A caller pricing many steps may pass the pricing of
    /// `batch.decodeSequences` decode sequences it already holds, to save preparing it again.
    public func phaseTimes(of batch: ScheduledBatch, duration: StepDuration, decodePricing: DecodeStepPricing? = nil)
        -> StepPhaseTimes
    {
        let transfer = duration.kvTransfer
        let prefixLoad = min(prefixLoadTime(of: batch), transfer)
        let swap = transfer - prefixLoad
        let compute = duration.total - transfer
        if batch.decodeSequences == 0 {
            return StepPhaseTimes(prefill: compute, decode: swap, prefixLoad: prefixLoad)
        }
        if batch.prefillTokens == 0 {
            return StepPhaseTimes(prefill: .zero, decode: compute + swap, prefixLoad: prefixLoad)
        }
        let prefillAlone = stepTimeModel.stepTime(
            BatchShape(
                prefillTokens: Double(batch.prefillTokens),
                prefillAttentionContextProduct: Double(batch.prefillAttentionPairs))
        ).total.seconds
        let pricing = decodePricing ?? decodeSteps(sequences: batch.decodeSequences)
        precondition(pricing.sequences == batch.decodeSequences, "decode pricing for another batch size")
        let decodeAlone = pricing.step(contextTokens: batch.decodeContextTokens).total.seconds
        let share = prefillAlone + decodeAlone > 0 ? prefillAlone / (prefillAlone + decodeAlone) : 0
        let prefill = SimDuration(nanoseconds: Int64((Double(compute.nanoseconds) * share).rounded()))
        return StepPhaseTimes(prefill: prefill, decode: compute - prefill + swap, prefixLoad: prefixLoad)
    }

    /// Time to load the step's host and disk prefix hits, as ``stepDuration(of:)`` charges them.
    private func prefixLoadTime(of batch: ScheduledBatch) -> SimDuration {
        let cache = kvCacheConfiguration
        var time = SimDuration.zero
        if let host = cache.hostTier, batch.prefixHitTokens.host > 0 {
            time += cache.loadTime(tokens: batch.prefixHitTokens.host, from: host)
        }
        if let disk = cache.diskLoadBandwidth, batch.prefixHitTokens.disk > 0 {
            time += cache.loadTime(tokens: batch.prefixHitTokens.disk, at: disk)
        }
        return time
    }
}
