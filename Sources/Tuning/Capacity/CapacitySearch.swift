/// The smallest of an ordered list of cluster sizes at which a configuration meets its objective, found by
/// galloping then bisection over simulations.
///
/// It assumes that meeting the objective is monotone in size: a larger cluster of the same layout serves
/// the same trace at least as well (more instances share the arrivals, so queues and batches shrink). The
/// router and the batch granularity make that true in the large rather than at every single step, so the
/// answer is "the smallest size found to meet, with the next smaller one found to miss". From a start size it
/// steps up by 1, 2, 4, ... until a size meets (or down until one misses), then bisects the bracket, so a
/// search costs O(log n) simulations. It is a state machine (``nextProbe()``, ``record(_:meets:)``) so that many
/// searches can advance in lockstep, each round's probes simulated in one parallel batch.
public struct CapacitySearch: Sendable, Hashable {
    /// The sizes, smallest first.
    public let sizes: [ClusterSize]
    /// The largest position known to miss.
    public private(set) var missing: Int?
    /// The smallest position known to meet.
    public private(set) var meeting: Int?
    private var stride = 1
    private let start: Int

    /// A search over `sizes` starting at position `start` (clamped into range).
    public init(sizes: [ClusterSize], start: Int = 0) {
        self.sizes = sizes
        self.start = sizes.isEmpty ? 0 : min(max(start, 0), sizes.count - 1)
    }

    /// Whether the answer is known: the smallest meeting size, or that none meets.
    public var isFinished: Bool {
        if sizes.isEmpty { return true }
        if let meeting { return meeting == 0 || missing == meeting - 1 }
        return missing == sizes.count - 1
    }

    /// The answer once finished: the smallest size that meets, or nil when none does.
    public var answer: ClusterSize? { isFinished ? meeting.map { sizes[$0] } : nil }

    /// The position to simulate next, or nil when finished.
    public func nextProbe() -> Int? {
        guard !isFinished else { return nil }
        switch (missing, meeting) {
        case (nil, nil): return start
        case (let low?, nil): return min(low + stride, sizes.count - 1)
        case (nil, let high?): return max(high - stride, 0)
        case (let low?, let high?): return low + (high - low) / 2
        }
    }

    /// Records whether the size at `position` met the objective.
    public mutating func record(_ position: Int, meets: Bool) {
        if meets {
            if meeting == nil, missing == nil { stride = 1 } else if missing == nil { stride *= 2 }
            meeting = min(meeting ?? position, position)
        } else {
            if meeting == nil, missing != nil { stride *= 2 }
            missing = max(missing ?? position, position)
        }
    }
}
