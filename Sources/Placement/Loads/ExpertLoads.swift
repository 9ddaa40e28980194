import Foundation
import MoECore
import PerfModel

/// Where a planner's expert loads come from: a measured file or a seeded synthetic skew.
public enum ExpertLoads {
    /// The matrix in `path`: CSV when the name ends in `.csv`, else SGLang's expert-distribution JSON.
    /// - Throws: ``InputFileError`` (CSV) or ``PerfModelError/invalidExpertLoad(_:)`` (JSON), naming the file.
    public static func read(path: String, model: ModelSpec) throws -> ExpertLoadMatrix {
        path.lowercased().hasSuffix(".csv")
            ? try ExpertLoadCSV.read(path: path, model: model) : try ExpertLoadFile.read(path: path, model: model)
    }

    /// A Zipf-skewed matrix for `model`: in each MoE layer the experts, in an order drawn from `seed`,
    /// take loads proportional to 1 / rank^`exponent`, scaled so that `tokens` tokens each route
    /// `expertsPerToken` copies. The same seed gives the same matrix.
    /// - Precondition: `model` has routed experts; `exponent` and `tokens` are finite and non-negative.
    public static func zipf(model: ModelSpec, exponent: Double, tokens: Double, seed: UInt64) -> ExpertLoadMatrix {
        let moe = model.moe!
        let experts = moe.routedExperts
        let weights = (1...experts).map { 1 / pow(Double($0), exponent) }
        let scale = tokens * Double(moe.expertsPerToken) / weights.reduce(0, +)
        let root = SeededGenerator(seed: seed)
        let rows = (0..<model.moeLayers).map { layer in
            var generator = root.derived(stream: UInt64(layer))
            var order = Array(0..<experts)
            for index in stride(from: experts - 1, to: 0, by: -1) {
                // Fisher-Yates; the modulo bias over 2^64 is negligible and keeps the draw explicit.
                order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
            var row = [Double](repeating: 0, count: experts)
            for (rank, expert) in order.enumerated() { row[expert] = weights[rank] * scale }
            return row
        }
        return try! ExpertLoadMatrix(rows: rows)
    }
}
