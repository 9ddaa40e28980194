import MoECore

/// Tokens routed to each expert of each MoE layer in one step, as a backend reports them.
///
/// The layout matches ``MoECore/ExpertLoadMatrix`` (row-major, one row per MoE layer), so steps add up
/// into the load profile the placement planner reads (``ExpertLoadAccumulator``).
public struct ExpertRoutingCounts: Sendable, Hashable {
    /// MoE layers (rows).
    public let layers: Int
    /// Routed experts per layer (columns).
    public let experts: Int
    /// Counts in row-major order: `counts[layer * experts + expert]`.
    public var counts: [UInt32]

    /// Creates counts; `counts` must hold `layers * experts` values.
    public init(layers: Int, experts: Int, counts: [UInt32]) {
        precondition(counts.count == layers * experts, "\(counts.count) counts for \(layers) x \(experts) experts")
        self.layers = layers
        self.experts = experts
        self.counts = counts
    }

    /// Tokens routed to `expert` in `layer`.
    public subscript(layer: Int, expert: Int) -> UInt32 { counts[layer * experts + expert] }

    /// Expert assignments in `layer` (tokens times experts per token for top-k routing).
    public func assignments(inLayer layer: Int) -> Int {
        counts[(layer * experts)..<((layer + 1) * experts)].reduce(0) { $0 + Int($1) }
    }
}

/// Routing counts summed over steps: the measured expert-load profile of a served run, in the shape the
/// placement planner and the step-time model take.
public struct ExpertLoadAccumulator: Sendable, Hashable {
    /// MoE layers.
    public let layers: Int
    /// Routed experts per layer.
    public let experts: Int
    /// Summed counts, row-major.
    public private(set) var totals: [UInt64]
    /// Steps added.
    public private(set) var steps = 0

    /// An empty accumulator of `layers` x `experts` (both positive).
    public init(layers: Int, experts: Int) {
        precondition(layers > 0 && experts > 0, "an expert-load accumulator needs layers and experts")
        self.layers = layers
        self.experts = experts
        totals = Array(repeating: 0, count: layers * experts)
    }

    /// Adds one step's counts; counts of another shape are refused (returns false) rather than mixed in.
    @discardableResult
    public mutating func add(_ step: ExpertRoutingCounts) -> Bool {
        guard step.layers == layers, step.experts == experts else { return false }
        for index in totals.indices { totals[index] += UInt64(step.counts[index]) }
        steps += 1
        return true
    }

    /// The totals as an expert-load matrix (zeros before any step).
    public var matrix: ExpertLoadMatrix {
        let rows = (0..<layers).map { layer in
            totals[(layer * experts)..<((layer + 1) * experts)].map { Double($0) }
        }
        // Rows of equal, positive width with finite non-negative values: always a valid matrix.
        return try! ExpertLoadMatrix(rows: rows)
    }
}
