import MoECore

/// An endless stream of requests: arrivals from an ``ArrivalProcess``, lengths from a
/// ``LengthDistribution``, every draw fixed by `seed`.
///
/// The first request arrives at 0. Arrivals and lengths draw from separate sub-streams of the seed, so
/// changing the length table does not move the arrival times. Bound it with ``TransformedSource``
/// (`limit` or `duration`).
public struct SyntheticWorkload<Arrivals: ArrivalProcess>: RequestSource, Sendable {
    /// The arrival process.
    public private(set) var arrivals: Arrivals
    /// The length distribution.
    public let lengths: LengthDistribution
    private var arrivalGenerator: SeededGenerator
    private var lengthGenerator: SeededGenerator
    private var now = SimTime.zero
    private var nextID: UInt64 = 0

    /// A workload of `arrivals` with `lengths`, seeded by `seed`.
    public init(arrivals: Arrivals, lengths: LengthDistribution, seed: UInt64) throws {
        self.arrivals = arrivals
        self.lengths = try lengths.validated()
        let root = SeededGenerator(seed: seed)
        arrivalGenerator = root.derived(stream: 1)
        lengthGenerator = root.derived(stream: 2)
    }

    /// The next request (never nil: the stream is endless).
    public mutating func next() throws -> RequestSpec? {
        if nextID > 0 { now += arrivals.nextGap(after: now, using: &arrivalGenerator) }
        let (prompt, output) = lengths.sample(using: &lengthGenerator)
        defer { nextID += 1 }
        return RequestSpec(id: RequestID(nextID), arrival: now, promptTokens: prompt, outputTokens: output)
    }
}
