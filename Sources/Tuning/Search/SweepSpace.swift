/// The configurations a sweep may visit: every combination of its dimensions' values.
///
/// A configuration is a list of value indices, one per dimension. Index order is row-major with the last
/// dimension fastest, which is also the grid search's order and the order of its CSV.
public struct SweepSpace: Sendable, Hashable {
    /// The knobs, in the order given.
    public let dimensions: [SweepDimension]

    /// A space over `dimensions`.
    /// - Throws: ``TuningError/malformedVary(argument:reason:)`` when a key path is varied twice.
    public init(_ dimensions: [SweepDimension]) throws {
        var seen = Set<String>()
        for keyPath in dimensions.flatMap(\.keyPaths) where !seen.insert(keyPath).inserted {
            throw TuningError.malformedVary(
                argument: keyPath, reason: "the key is varied twice; give all its values in one --vary")
        }
        self.dimensions = dimensions
    }

    /// Configurations in all.
    public var count: Int { dimensions.reduce(1) { $0 * $1.values.count } }

    /// The configuration at row-major `index`.
    public func configuration(at index: Int) -> [Int] {
        var rest = index
        var indices = Array(repeating: 0, count: dimensions.count)
        for position in dimensions.indices.reversed() {
            let size = dimensions[position].values.count
            indices[position] = rest % size
            rest /= size
        }
        return indices
    }

    /// The row-major index of `configuration`.
    public func index(of configuration: [Int]) -> Int {
        zip(dimensions, configuration).reduce(0) { $0 * $1.0.values.count + $1.1 }
    }

    /// The overrides that make `configuration`, one per key path of each dimension.
    public func overrides(_ configuration: [Int]) -> [ScenarioOverride] {
        zip(dimensions, configuration).flatMap { dimension, value in
            zip(dimension.keyPaths, dimension.values[value]).map(ScenarioOverride.init)
        }
    }

    /// The key paths of the dimensions, in order.
    public var keyPaths: [String] { dimensions.flatMap(\.keyPaths) }
}
