import MoECore

/// The continuous-batching scheduler that both the simulator and the engine drive: a pure, deterministic
/// state machine over waiting and running requests and a paged, tiered KV cache.
///
/// It owns no thread, clock or queue. A driver calls ``enqueue(_:now:)`` on arrivals, ``schedule(now:)`` to
/// get the next step's batch, runs it (a step-time model or a backend), then ``commit(_:now:)`` with the
/// step's end time to apply what it produced. Between events, ``decodeStepsUntilChange()`` and
/// ``advanceDecode(steps:now:)`` skip many identical decode steps in one call. The step algorithm is
/// described in `Docs/Scheduling.md`.
public struct BatchScheduler: Sendable, Equatable {
    /// The scheduling knobs.
    public let configuration: SchedulerConfiguration
    /// The KV cache's size and tiers.
    public let kvCacheConfiguration: KVCacheConfiguration

    var kv: KVBlockPool
    /// log2 of the block size when it is a power of two, else -1.
    let blockShift: Int
    /// Running requests in admission order (contiguous, iterated every step).
    var running: [RequestState] = []
    var waiting = WaitingQueue()
    /// Chained hashes of each request's leading prompt blocks (only requests that have any), kept apart from
    /// `RequestState` so that the hot arrays hold plain values.
    var prefixHashes: [RequestID: [UInt64]] = [:]
    /// Ids of every request queued or running, to refuse duplicates.
    var liveIDs: Set<RequestID> = []
    var nextSequence: UInt64 = 0
    /// Number of the next step to schedule.
    var nextStep: UInt64 = 0
    /// The step handed out by `schedule` and not yet committed.
    var inFlightStep: UInt64?
    /// Prompt tokens still to compute before first tokens, over all queued and running requests.
    var prefillBacklogTokens = 0
    /// SGLang's new-token ratio in millionths (integers keep k decode steps equal to one k-step advance).
    var newTokenRatioMillionths = 0

    /// Preemptions since creation.
    public internal(set) var preemptionsTotal = 0
    /// Requests refused by ``enqueue(_:now:)`` since creation.
    public internal(set) var rejectedTotal = 0
    /// Requests that produced all their output tokens since creation.
    public internal(set) var finishedTotal = 0
    /// Requests cancelled since creation.
    public internal(set) var cancelledTotal = 0
    /// Prefix-cache hit tokens since creation, by tier.
    public internal(set) var cacheHitTokensTotal = TierTokens.zero

    /// Creates a scheduler after validating both configurations; throws naming the first bad field.
    public init(configuration: SchedulerConfiguration, kvCache: KVCacheConfiguration) throws(ConfigurationError) {
        try configuration.validate()
        try kvCache.validate()
        self.configuration = configuration
        kvCacheConfiguration = kvCache
        kv = KVBlockPool(configuration: kvCache)
        let size = configuration.blockSize
        blockShift = size & (size - 1) == 0 ? size.trailingZeroBitCount : -1
        newTokenRatioMillionths = reserveRatios?.initial ?? 0
    }

    /// Requests running (holding KV blocks).
    public var runningCount: Int { running.count }
    /// Requests waiting for admission.
    public var waitingCount: Int { waiting.count }
    /// Ids of the running requests in admission order.
    public var runningRequestIDs: [RequestID] { running.map(\.id) }
    /// Fraction of HBM blocks held by running requests.
    public var kvUsage: Double { Double(kv.usedBlocks) / Double(kv.totalBlocks) }
    /// HBM blocks neither held by a request nor cached.
    public var freeBlocks: Int { kv.freeBlocks }
    /// Prefix blocks evicted from HBM since creation.
    public var evictedBlocksTotal: Int { kv.evictedBlocks }
    /// Whether nothing is queued or running.
    public var isIdle: Bool { running.isEmpty && waiting.isEmpty }

    /// Where a request stands, or nil if it is not queued or running.
    public func progress(of id: RequestID) -> RequestProgress? {
        if let state = running.first(where: { $0.id == id }) { return RequestProgress(state, isRunning: true) }
        if let state = waiting.unordered.first(where: { $0.id == id }) {
            return RequestProgress(state, isRunning: false)
        }
        return nil
    }

    /// The chained block hashes of `state`'s prompt.
    func blockHashes(of state: RequestState) -> [UInt64] {
        state.hashedBlocks == 0 ? [] : prefixHashes[state.id, default: []]
    }

    /// Blocks needed to hold `tokens` tokens (a shift when the block size is a power of two, as it nearly
    /// always is: integer division would dominate a step over a thousand requests).
    @inline(__always)
    func blocks(for tokens: Int) -> Int {
        Self.blocks(for: tokens, blockSize: configuration.blockSize, shift: blockShift)
    }

    /// ``blocks(for:)`` without `self`, for loops that hold the running array's storage.
    @inline(__always)
    static func blocks(for tokens: Int, blockSize: Int, shift: Int) -> Int {
        shift >= 0 ? (tokens + blockSize - 1) >> shift : (tokens + blockSize - 1) / blockSize
    }

    /// The reservation ratios in millionths when admission is SGLang-style.
    var reserveRatios: (initial: Int, minimum: Int, decayPerStep: Int, clip: Int)? {
        guard case .reserve(let reserve) = configuration.admission else { return nil }
        let initial = Int((reserve.initialNewTokenRatio * 1e6).rounded())
        let minimum = Int((reserve.initialNewTokenRatio * reserve.minRatioFactor * 1e6).rounded())
        return (initial, minimum, max(1, (initial - minimum) / reserve.decaySteps), reserve.clipMaxNewTokens)
    }

    /// Lowers SGLang's new-token ratio by `steps` decode steps' worth, down to its floor.
    mutating func decayNewTokenRatio(steps: Int) {
        guard let ratios = reserveRatios else { return }
        let decayed = newTokenRatioMillionths - min(steps, Int.max / ratios.decayPerStep) * ratios.decayPerStep
        newTokenRatioMillionths = max(ratios.minimum, decayed)
    }

    /// Statistics of the step just scheduled.
    func statistics(batchTokens: Int, cacheHits: TierTokens) -> SchedulerStatistics {
        SchedulerStatistics(
            running: running.count, waiting: waiting.count, preemptionsTotal: preemptionsTotal, kvUsage: kvUsage,
            cacheHitTokens: cacheHits, batchTokens: batchTokens)
    }
}

/// A read-only view of one request's progress.
public struct RequestProgress: Sendable, Hashable {
    /// The request.
    public var id: RequestID
    /// Whether it is running (else waiting).
    public var isRunning: Bool
    /// Tokens whose KV is cached.
    public var computedTokens: Int
    /// Output tokens sampled.
    public var generatedTokens: Int
    /// HBM blocks held.
    public var heldBlocks: Int
    /// Host blocks held while swapped out.
    public var swappedBlocks: Int

    init(_ state: RequestState, isRunning: Bool) {
        id = state.id
        self.isRunning = isRunning
        computedTokens = state.computedTokens
        generatedTokens = state.generatedTokens
        heldBlocks = state.heldBlocks
        swappedBlocks = state.swappedBlocks
    }
}
