import MoECore

/// How a sweep chooses the configurations it simulates.
public enum SweepSearch: Sendable, Hashable {
    /// Every configuration, in row-major order.
    case grid
    /// `samples` distinct configurations drawn uniformly with `seed` (all of them when there are fewer).
    case random(samples: Int, seed: UInt64)
    /// A seeded design then coordinate descent over the dimensions (see ``CoordinateSearch``).
    case adaptive(seed: UInt64)

    /// Runs the search over `space` with `runner` and returns every trial it asked for, in the order asked.
    /// - Throws: what the runner throws (an unreadable workload, a ledger error).
    public func run(
        _ space: SweepSpace, runner: TrialRunner, objective: SweepObjective
    ) throws -> [Trial] {
        switch self {
        case .adaptive(let seed):
            return try CoordinateSearch(space: space, objective: objective, seed: seed).run(runner: runner)
        case .grid, .random:
            let configurations = configurations(of: space) ?? []
            runner.expectedTrials = configurations.count
            return try runner.run(configurations)
        }
    }

    /// The configurations a grid or random search visits, in order, as overrides; nil for the adaptive
    /// search, whose course depends on what it measures.
    public func configurations(of space: SweepSpace) -> [[ScenarioOverride]]? {
        let indices: [Int]
        switch self {
        case .grid: indices = Array(0..<space.count)
        case .random(let samples, let seed):
            indices = Self.sample(min(samples, space.count), of: space.count, seed: seed)
        case .adaptive: return nil
        }
        return indices.map { space.overrides(space.configuration(at: $0)) }
    }

    /// `count` distinct indices below `total`, drawn with `seed` (a partial Fisher-Yates shuffle of a
    /// sparse permutation, so a huge space costs nothing), in the order drawn.
    public static func sample(_ count: Int, of total: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        var swapped: [Int: Int] = [:]
        var drawn: [Int] = []
        for position in 0..<count {
            let pick = position + Int(generator.next() % UInt64(total - position))
            drawn.append(swapped[pick] ?? pick)
            swapped[pick] = swapped[position] ?? position
        }
        return drawn
    }
}
