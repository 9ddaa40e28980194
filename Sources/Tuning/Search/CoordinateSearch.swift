/// The adaptive search: a small seeded design, then coordinate descent from its best points.
///
/// The design is the centre configuration (each dimension's middle value) and `2 x dimensions` configurations
/// drawn with the seed, simulated as one batch. From each of the design's two best points (by
/// ``SweepObjective`` ranking) a descent takes each dimension in turn, simulates every value of it with the
/// others held (one parallel batch), moves to the best, and repeats whole passes until one changes nothing.
/// A pass costs the sum of the dimensions' sizes, not their product, and configurations already simulated
/// are not run again, so a space of d knobs of n values needs about `2d + 2 x passes x d x (n - 1)` runs
/// against the grid's `n^d`.
///
/// Why this and not successive halving or a Bayesian model: the knobs of serving are few, ordered and
/// mostly separable (a batch cap, a token budget, a node count each have one best region given the
/// others), which is where coordinate descent is at its best; it is deterministic, needs no surrogate model
/// whose fit would itself need tuning, and every run is a full-fidelity simulation, so its answer is a
/// measured point, not a prediction from a shortened workload whose queueing differs from the real one.
/// Its known weakness is a strong interaction between two knobs (fewer nodes need larger batches): a
/// descent from a point that misses the SLO walks to the nearest configuration that meets it, not the
/// cheapest. Starting from the design's best points, which usually already meet it, lets the descent
/// shrink the cluster while keeping the SLO. `TuningSearchTests` measures how close it gets to the grid.
public struct CoordinateSearch: Sendable {
    /// The configurations.
    public let space: SweepSpace
    /// What "best" means.
    public let objective: SweepObjective
    /// Seed of the design's draws.
    public let seed: UInt64

    /// A search over `space` for `objective`, its design drawn with `seed`.
    public init(space: SweepSpace, objective: SweepObjective, seed: UInt64 = 0) {
        self.space = space
        self.objective = objective
        self.seed = seed
    }

    /// Runs the design and the descents and returns the trials asked for, in the order first asked.
    public func run(runner: TrialRunner) throws -> [Trial] {
        var asked: [Trial] = []
        var seen = Set<String>()
        func keep(_ trials: [Trial]) {
            for trial in trials where seen.insert(trial.overrides.identity).inserted { asked.append(trial) }
        }
        let centre = space.dimensions.map { ($0.values.count - 1) / 2 }
        var design = [centre]
        for index in SweepSearch.sample(min(2 * space.dimensions.count, space.count), of: space.count, seed: seed) {
            let configuration = space.configuration(at: index)
            if !design.contains(configuration) { design.append(configuration) }
        }
        let designTrials = try runner.run(design.map(space.overrides))
        keep(designTrials)
        let ranked = zip(design, designTrials).enumerated().sorted { a, b in
            objective.isBetter(a.element.1, than: b.element.1)
                || (!objective.isBetter(b.element.1, than: a.element.1) && a.offset < b.offset)
        }
        for (_, (start, trial)) in ranked.prefix(2) { keep(try descend(from: start, trial: trial, runner: runner)) }
        return asked
    }

    /// One descent from `start` (whose trial is `trial`); the trials of every line it simulated.
    private func descend(from start: [Int], trial: Trial, runner: TrialRunner) throws -> [Trial] {
        var asked: [Trial] = []
        var current = start
        var best = trial
        var improved = true
        while improved {
            improved = false
            for dimension in space.dimensions.indices where space.dimensions[dimension].values.count > 1 {
                let line = space.dimensions[dimension].values.indices.map { value -> [Int] in
                    var configuration = current
                    configuration[dimension] = value
                    return configuration
                }
                let trials = try runner.run(line.map(space.overrides))
                asked += trials
                for (configuration, trial) in zip(line, trials) where objective.isBetter(trial, than: best) {
                    best = trial
                    current = configuration
                    improved = true
                }
            }
        }
        return asked
    }
}
