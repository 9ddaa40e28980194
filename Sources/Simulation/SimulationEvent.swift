import HeapModule

/// Something due at an instant of virtual time: the next arrival, or the end of an instance's step, run
/// segment or decode run. Events are ordered by time, then by the order they were scheduled in, so ties
/// resolve the same way on every run.
struct SimulationEvent: Comparable, Sendable {
    /// Due time, nanoseconds since the start.
    var time: Int64
    /// Scheduling order, unique.
    var sequence: UInt64
    /// The instance whose work ends, or ``arrivalTarget`` for the next arrival.
    var target: Int32
    /// The instance's work generation when scheduled; an event of an older generation is stale.
    var generation: UInt32

    /// The `target` of an arrival.
    static let arrivalTarget: Int32 = -1

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
    mutating func schedule(at time: Int64, target: Int32, generation: UInt32 = 0) {
        heap.insert(SimulationEvent(time: time, sequence: nextSequence, target: target, generation: generation))
        nextSequence += 1
    }

    /// Removes and returns the earliest event; O(log n).
    mutating func popEarliest() -> SimulationEvent? { heap.popMin() }
}
