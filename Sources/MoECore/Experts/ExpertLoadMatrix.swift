/// Routed-token counts per MoE layer and logical expert: how much work each expert gets.
///
/// Rows are MoE layers only (DeepSeek-V3: 58 rows of 256), in layer order. The planner places
/// experts from it; the step-time model reads each layer's most loaded device from it.
public struct ExpertLoadMatrix: Hashable, Sendable {
    /// MoE layers (rows).
    public let layers: Int
    /// Logical routed experts per layer (columns).
    public let experts: Int
    /// Loads in row-major order: `loads[layer * experts + expert]`, each finite and non-negative.
    public private(set) var loads: [Double]

    /// Creates a matrix from rows of equal length.
    /// - Throws: ``ExpertLoadError`` when rows differ in length or a load is negative or not finite.
    public init(rows: [[Double]]) throws {
        guard let width = rows.first?.count, width > 0 else { throw ExpertLoadError.empty }
        for (index, row) in rows.enumerated() {
            guard row.count == width else {
                throw ExpertLoadError.ragged(layer: index, count: row.count, expected: width)
            }
            if let expert = row.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw ExpertLoadError.invalidLoad(layer: index, expert: expert, value: row[expert])
            }
        }
        layers = rows.count
        experts = width
        loads = rows.flatMap { $0 }
    }

    /// Every expert of every layer equally loaded (what "absolutely balanced" routing means).
    public static func balanced(layers: Int, experts: Int) -> ExpertLoadMatrix {
        try! ExpertLoadMatrix(rows: Array(repeating: Array(repeating: 1, count: experts), count: layers))
    }

    /// The loads of one layer.
    public func row(_ layer: Int) -> ArraySlice<Double> {
        loads[(layer * experts)..<((layer + 1) * experts)]
    }

    /// Load of `expert` in `layer`.
    public subscript(layer: Int, expert: Int) -> Double { loads[layer * experts + expert] }
}

/// Why an expert-load matrix is unusable.
public enum ExpertLoadError: Error, Equatable, CustomStringConvertible {
    case empty
    case ragged(layer: Int, count: Int, expected: Int)
    case invalidLoad(layer: Int, expert: Int, value: Double)

    public var description: String {
        switch self {
        case .empty: "expert-load matrix has no rows or no experts"
        case .ragged(let layer, let count, let expected):
            "expert-load matrix row \(layer) has \(count) experts, expected \(expected)"
        case .invalidLoad(let layer, let expert, let value):
            "expert-load matrix [\(layer)][\(expert)] is \(value), expected a finite non-negative count"
        }
    }
}
