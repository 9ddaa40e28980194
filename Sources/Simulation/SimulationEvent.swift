import HeapModule

/// Something due at an instant of virtual time. Events are ordered by time, then by the order they were
/// scheduled in, so ties resolve the same way on every run.
struct SimulationEvent: Comparable, Sendable {
    /// What falls due.
    enum Kind: UInt8, Sendable {
        /// The workload's next request arrives.
        case arrival
        /// An instance's step, run segment, decode run or pause ends (`target`: the instance).
        case instanceWork
        /// A KV-cache transfer lands at its decode instance (`target`: the request's slot).
        case transferDone
        /// An instance finishes warming up or restarting (`target`: the instance).
        case instanceReady
        /// An autoscaled group's next decision (`target`: the group).
        case autoscale
        /// A fault strikes (`target`: its index in the fault schedule).
        case fault
        /// A fault is repaired (`target`: its index in the fault schedule).
        case repair
        /// Every MoE instance re-plans its expert placement.
        case rebalance
    }

    /// Due time, nanoseconds since the start.
    var time: Int64
    /// Scheduling order, unique.
    var sequence: UInt64
    /// The instance, slot, group or fault the event concerns.
    var target: Int32
    /// The target's generation when scheduled; an event of an older generation is stale.
    var generation: UInt32
    /// What falls due.
    var kind: Kind

    static func < (lhs: SimulationEvent, rhs: SimulationEvent) -> Bool {
        (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
    }

    static func == (lhs: SimulationEvent, rhs: SimulationEvent) -> Bool { lhs.sequence == rhs.sequence }
}

/// The pending events, earliest first: a binary heap (swift-collections) that numbers what it is given.
struct EventQueue: Sendable {
    private var heap = Heap<SimulationEvent>()
    private var nextSequence: UInt64 = 0
    /// Events scheduled so far.
    var scheduled: UInt64 { nextSequence }

    /// Schedules an event; O(log n).
    mutating func schedule(_ kind: SimulationEvent.Kind, at time: Int64, target: Int32 = 0, generation: UInt32 = 0) {
        heap.insert(
            SimulationEvent(time: time, sequence: nextSequence, target: target, generation: generation, kind: kind))
        nextSequence += 1
    }

    /// Removes and returns the earliest event; O(log n).
    mutating func popEarliest() -> SimulationEvent? { heap.popMin() }
}
