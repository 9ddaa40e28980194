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
    /// The kind in the top 8 bits, the target in the low 24: the event stays 24 bytes, which the heap moves
    /// on every push and pop.
    private var kindAndTarget: UInt32
    /// The target's generation when scheduled; an event of an older generation is stale.
    var generation: UInt32

    /// Targets fit in 24 bits: instances, request slots in flight, groups and faults number far fewer.
    static let targetLimit: Int32 = 1 << 24

    init(time: Int64, sequence: UInt64, target: Int32, generation: UInt32, kind: Kind) {
        precondition(target >= -1 && target < Self.targetLimit - 1, "event target \(target) out of range")
        self.time = time
        self.sequence = sequence
        kindAndTarget = UInt32(kind.rawValue) << 24 | UInt32(target + 1)
        self.generation = generation
    }

    /// What falls due.
    var kind: Kind { Kind(rawValue: UInt8(kindAndTarget >> 24))! }
    /// The instance, slot, group or fault the event concerns (-1 for an arrival).
    var target: Int32 { Int32(kindAndTarget & 0xFF_FFFF) - 1 }

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
