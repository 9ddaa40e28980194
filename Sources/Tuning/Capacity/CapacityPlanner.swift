/// A configuration sized to its objective: the smallest cluster that meets it and that size's trial.
public struct SizedTrial: Sendable, Hashable {
    /// The overrides of the configuration, before sizing.
    public var configuration: [ScenarioOverride]
    /// The smallest size found to meet the objective, or nil when no size up to the limit does.
    public var size: ClusterSize?
    /// The trial at that size; when no size meets, the trial at the largest size tried.
    public var trial: Trial?
    /// Simulations the search asked for (including those found already run).
    public var probes: Int
}

/// Runs many capacity searches in lockstep: each round takes every unfinished search's next probe and
/// simulates them as one parallel batch, so that sizing k configurations costs the rounds of the longest
/// search, not the sum.
public struct CapacityPlanner: Sendable {
    /// What a size must reach.
    public let objective: SweepObjective

    /// A planner for `objective`.
    public init(objective: SweepObjective) {
        self.objective = objective
    }

    /// Sizes each configuration over its sizes (`configurations[i]` over `sizes[i]`), starting each search
    /// at `starts[i]` when given.
    public func run(
        _ configurations: [[ScenarioOverride]], sizes: [[ClusterSize]], starts: [Int]? = nil, runner: TrialRunner
    ) throws -> [SizedTrial] {
        var searches = sizes.enumerated().map { CapacitySearch(sizes: $1, start: starts?[$0] ?? 0) }
        var probes = Array(repeating: 0, count: searches.count)
        var largestTried: [Trial?] = Array(repeating: nil, count: searches.count)
        var largestPosition = Array(repeating: -1, count: searches.count)
        while true {
            let round = searches.indices.compactMap { index in searches[index].nextProbe().map { (index, $0) } }
            guard !round.isEmpty else { break }
            let trials = try runner.run(
                round.map { index, position in configurations[index] + searches[index].sizes[position].overrides })
            for ((index, position), trial) in zip(round, trials) {
                searches[index].record(position, meets: objective.meets(trial))
                probes[index] += 1
                if position > largestPosition[index] {
                    largestPosition[index] = position
                    largestTried[index] = trial
                }
            }
        }
        return try searches.indices.map { index in
            let answer = searches[index].answer
            var trial = largestTried[index]
            if let answer {
                trial = try runner.run([configurations[index] + answer.overrides])[0]
            }
            return SizedTrial(configuration: configurations[index], size: answer, trial: trial, probes: probes[index])
        }
    }
}
