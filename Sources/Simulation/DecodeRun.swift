import Deployment
import MoECore

/// A run of pure decode steps an instance takes in one go (event skipping): the scheduler has promised
/// (``Scheduling/BatchScheduler/decodeStepsUntilChange()``) that its next `length` steps decode exactly
/// the running requests, one token each, so nothing needs scheduling until the run ends.
///
/// The steps are priced one by one with the O(1) step-time model, lazily: a first chunk, then chunks
/// that double, each ending in an event; an arrival routed to the instance cuts the run at the first step
/// boundary at or after it. The scheduler is advanced once, in closed form, when the run ends. Pricing
/// costs O(steps run): at most twice the steps that really ran (or the first chunk), nothing per request.
struct DecodeRun: Sendable {
    /// One priced step: its end (nanoseconds after the run's start) and the model's utilization figures.
    struct Step: Sendable {
        var end: Int64
        var mfu: Double
        var hbmBandwidthUtilization: Double
        var linkUtilization: Double
    }

    /// Steps priced before the first event of a run.
    static let firstChunk = 8

    /// When the run started.
    private(set) var start = SimTime.zero
    /// Requests decoding in every step.
    private(set) var sequences = 0
    /// `ScheduledBatch.decodeContextTokens` of the first step.
    private(set) var firstStepContextTokens = 0
    /// Steps the run will take (fewer than promised once cut by an arrival).
    private(set) var length = 0
    /// KV usage when the run started.
    private(set) var kvUsageAtStart = 0.0
    /// The steps priced so far (a buffer reused from run to run).
    private(set) var steps: ContiguousArray<Step> = []
    /// The pricing of this run's steps, prepared once for its batch size.
    private var pricing: DecodeStepPricing?

    /// Starts a run of `length` steps at `start`, priced by `pricing`, and prices its first chunk.
    mutating func begin(
        at start: SimTime, contextTokens: Int, length: Int, kvUsage: Double, pricing: DecodeStepPricing
    ) {
        precondition(length >= 1, "a decode run needs at least one step")
        self.start = start
        sequences = pricing.sequences
        firstStepContextTokens = contextTokens
        self.length = length
        kvUsageAtStart = kvUsage
        steps.removeAll(keepingCapacity: true)
        self.pricing = pricing
        priceNextChunk()
    }

    /// Whether every step of the run is priced.
    var isFullyPriced: Bool { steps.count >= length }

    /// The end of the last priced step of the run: the time of its next event.
    var pricedEnd: SimTime { start + SimDuration(nanoseconds: steps[min(steps.count, length) - 1].end) }

    /// The end of step `step` (1-based).
    func end(ofStep step: Int) -> SimTime { start + SimDuration(nanoseconds: steps[step - 1].end) }

    /// The duration of step `step` (1-based).
    func duration(ofStep step: Int) -> SimDuration {
        SimDuration(nanoseconds: steps[step - 1].end - (step > 1 ? steps[step - 2].end : 0))
    }

    /// Prices the next chunk of steps: as many again as are priced (at least ``firstChunk``), up to the
    /// run's length.
    mutating func priceNextChunk() {
        let first = steps.count + 1
        let last = min(length, max(steps.count * 2, Self.firstChunk))
        guard first <= last, let pricing else { return }
        var end = steps.last?.end ?? 0
        for step in first...last {
            let (total, model) = pricing.step(contextTokens: firstStepContextTokens + (step - 1) * sequences)
            end += total.nanoseconds
            steps.append(
                Step(
                    end: end, mfu: model.mfu, hbmBandwidthUtilization: model.hbmBandwidthUtilization,
                    linkUtilization: model.linkUtilization))
        }
    }

    /// Cuts the run so that it holds only the steps starting before `time` (an arrival that the next
    /// schedule must see); returns the new length, 0 if the run had not started any step by then.
    mutating func cut(before time: SimTime) -> Int {
        let offset = (time - start).nanoseconds
        guard offset > 0 else {
            length = 0
            return 0
        }
        // Step s starts at the end of step s - 1; count the priced step ends before `offset` among the
        // first count - 1 steps (ends are nondecreasing), plus the first step.
        var low = 0
        var high = min(steps.count, length) - 1
        while low < high {
            let middle = (low + high) / 2
            if steps[middle].end < offset { low = middle + 1 } else { high = middle }
        }
        length = min(length, low + 1)
        return length
    }

    /// Cuts the run so that it holds only the steps that ended by `time` (a fault: the step in flight is lost);
    /// returns the new length, possibly 0.
    mutating func cut(endingBy time: SimTime) -> Int {
        let offset = (time - start).nanoseconds
        var low = 0
        var high = min(steps.count, length)
        // The number of priced steps whose end is at most `offset` (ends are nondecreasing).
        while low < high {
            let middle = (low + high) / 2
            if steps[middle].end <= offset { low = middle + 1 } else { high = middle }
        }
        length = low
        return length
    }
}
