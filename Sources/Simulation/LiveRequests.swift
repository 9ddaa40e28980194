import MoECore

/// The requests in the cluster, each in a numbered slot until it ends, so that per-request bookkeeping is
/// an array access rather than a hash lookup.
///
/// A request is known to its instance's scheduler by its slot number (as its `RequestID`), which is unique
/// among live requests; its own id is kept here and put back in its ``RequestRecord``. Freed slots are
/// reused, so memory follows the number of requests in flight, not the length of the workload.
struct LiveRequests: Sendable {
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
        var isLive = true
    }

    private(set) var entries: ContiguousArray<Entry> = []
    private var freeSlots: [Int] = []
    /// Requests in flight.
    private(set) var count = 0

    /// Takes a slot for `request`, served by `instance`.
    mutating func admit(_ request: RequestSpec, instance: Int) -> Int {
        let entry = Entry(
            id: request.id, arrival: request.arrival, promptTokens: request.promptTokens,
            outputTokens: request.outputTokens, instance: instance)
        count += 1
        if let slot = freeSlots.popLast() {
            entries[slot] = entry
            return slot
        }
        entries.append(entry)
        return entries.count - 1
    }

    /// The entry in `slot`.
    subscript(slot: Int) -> Entry {
        get { entries[slot] }
        _modify { yield &entries[slot] }
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
        return RequestRecord(
            id: entry.id, arrival: entry.arrival, promptTokens: entry.promptTokens,
            cachedPromptTokens: entry.cachedPromptTokens, outputTokens: entry.generatedTokens,
            scheduledAt: time(entry.scheduledAt), firstTokenAt: time(entry.firstTokenAt), endedAt: end,
            outcome: outcome, instance: entry.instance)
    }

    /// The slots of live requests served by `instance`, in slot order.
    func slots(servedBy instance: Int) -> [Int] {
        entries.indices.filter { entries[$0].isLive && entries[$0].instance == instance }
    }

    /// The slots of every live request, in slot order.
    var liveSlots: [Int] { entries.indices.filter { entries[$0].isLive } }
}
