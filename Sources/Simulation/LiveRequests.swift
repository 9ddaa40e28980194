import MoECore

/// The requests in the cluster, each in a numbered slot until it ends, so that per-request bookkeeping is
/// an array access rather than a hash lookup.
///
/// A request is known to its instance's scheduler by its slot number (as its `RequestID`), which is unique
/// among live requests; its own id is kept here and put back in its ``RequestRecord``. Freed slots are
/// reused, so memory follows the number of requests in flight, not the length of the workload.
struct LiveRequests: Sendable {
    /// Where a request is in its life.
    enum Stage: UInt8, Sendable {
        /// Queued or running on a colocated instance.
        case colocated
        /// Queued or running on a prefill instance.
        case prefill
        /// Its KV cache is on its way from a prefill instance to a decode instance.
        case transferring
        /// Queued or running on a decode instance.
        case decode
        /// Waiting for an instance of its stage to serve it (none is routable now).
        case unrouted
    }

    /// One request in flight. Times are nanoseconds since the start, -1 for "not yet".
    struct Entry: Sendable {
        var id: RequestID
        var arrival: SimTime
        var promptTokens: Int
        var outputTokens: Int
        var instance: Int
        var cachedPromptTokens = 0
        var generatedTokens = 0
        var scheduledAt: Int64 = -1
        var firstTokenAt: Int64 = -1
        var lastTokenAt: Int64 = -1
        /// Of the cached prompt tokens, those loaded from the host tier and from disk.
        var hostCachedTokens: Int32 = 0
        var diskCachedTokens: Int32 = 0
        /// Leading prompt tokens the shared context cache held when it arrived.
        var contextCacheTokens: Int32 = 0
        /// Its attention data-parallel rank on its instance (which device holds its KV cache).
        var rank: Int32 = 0
        /// Bumped whenever it moves, so a transfer event for an earlier move is recognised as stale.
        var epoch: UInt32 = 0
        var stage = Stage.colocated
        /// The stage it waits for while `unrouted`.
        var awaitedStage = Stage.colocated
        var isLive = true
    }

    private(set) var entries: ContiguousArray<Entry> = []
    /// Each slot's request as the workload gave it (prefix hashes, priority, objectives): what moving it to
    /// another instance or storing its prompt in the context cache needs. Kept only when ``keepsSpecs``.
    private(set) var specs: ContiguousArray<RequestSpec> = []
    private var freeSlots: [Int] = []
    /// Requests in flight.
    private(set) var count = 0
    /// Whether requests are kept whole: a cluster whose requests never leave their first instance (no
    /// disaggregation, context cache, autoscaling or faults) does without, and saves a copy per arrival.
    let keepsSpecs: Bool

    /// Live requests, kept whole when `keepsSpecs`.
    init(keepsSpecs: Bool) { self.keepsSpecs = keepsSpecs }

    /// Takes a slot for `request`, served by `instance` at `stage`.
    mutating func admit(_ request: RequestSpec, instance: Int, stage: Stage) -> Int {
        var entry = Entry(
            id: request.id, arrival: request.arrival, promptTokens: request.promptTokens,
            outputTokens: request.outputTokens, instance: instance)
        entry.stage = stage
        count += 1
        if let slot = freeSlots.popLast() {
            entries[slot] = entry
            if keepsSpecs { specs[slot] = request }
            return slot
        }
        entries.append(entry)
        if keepsSpecs { specs.append(request) }
        return entries.count - 1
    }

    /// The entry in `slot`.
    subscript(slot: Int) -> Entry {
        get { entries[slot] }
        _modify { yield &entries[slot] }
    }

    /// The request in `slot` as the workload gave it, renamed to its slot (the id its schedulers know).
    /// - Precondition: ``keepsSpecs``.
    func spec(_ slot: Int) -> RequestSpec {
        precondition(keepsSpecs, "requests are not kept whole in this cluster")
        var spec = specs[slot]
        spec.id = RequestID(UInt64(slot))
        return spec
    }

    /// Frees `slot` and returns the record of how its request ended at `end`.
    mutating func release(_ slot: Int, outcome: RequestOutcome, at end: SimTime) -> RequestRecord {
        let entry = entries[slot]
        entries[slot].isLive = false
        freeSlots.append(slot)
        count -= 1
        func time(_ nanoseconds: Int64) -> SimTime? {
            nanoseconds < 0 ? nil : SimTime(nanosecondsSinceStart: nanoseconds)
        }
        var record = RequestRecord(
            id: entry.id, arrival: entry.arrival, promptTokens: entry.promptTokens,
            cachedPromptTokens: entry.cachedPromptTokens, outputTokens: entry.generatedTokens,
            scheduledAt: time(entry.scheduledAt), firstTokenAt: time(entry.firstTokenAt), endedAt: end,
            outcome: outcome, instance: entry.instance < 0 ? nil : entry.instance)
        record.hostCachedPromptTokens = Int(entry.hostCachedTokens)
        record.diskCachedPromptTokens = Int(entry.diskCachedTokens)
        return record
    }

    /// The slots of live requests in `instance`'s scheduler (queued or running), in slot order; with
    /// `includingTransfers`, also those whose KV cache is on its way to it.
    func slots(servedBy instance: Int, includingTransfers: Bool = false) -> [Int] {
        entries.indices.filter {
            let entry = entries[$0]
            guard entry.isLive, entry.instance == instance else { return false }
            switch entry.stage {
            case .colocated, .prefill, .decode: return true
            case .transferring: return includingTransfers
            case .unrouted: return false
            }
        }
    }

    /// The slots of every live request, in slot order.
    var liveSlots: [Int] { entries.indices.filter { entries[$0].isLive } }
}
