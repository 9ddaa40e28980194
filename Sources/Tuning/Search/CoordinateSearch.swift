/// The adaptive search: coordinate descent over the sweep's dimensions.
///
/// From a start (each dimension's middle value), it takes each dimension in turn and simulates every value
/// of it with the others held (one parallel batch), moves to the best by ``SweepObjective`` ranking, and
/// repeats whole passes until one changes nothing. A pass costs the sum of the dimensions' sizes, not their
/// product, and configurations already simulated are not run again, so a space of d knobs of n values
/// needs about `passes x d x (n - 1)` runs against the grid's `n^d`.
///
/// Why this and not successive halving or a Bayesian model: the knobs of serving are few, ordered and
/// mostly separable (a batch cap, a token budget, a node count each have one best region given the
/// others), which is where coordinate descent is at its best; it is deterministic, needs no surrogate model
/// whose fit would itself need tuning, and every run it makes is a full-fidelity simulation, so its answer
/// is a measured point, not a prediction from a shortened workload whose queueing differs from the real
/// one. Its known weakness is a strong interaction between two knobs (a diagonal valley), where it can stop
/// early: `TuningSearchTests` measures how close it gets to the grid's best.
public struct CoordinateSearch: Sendable {
    /// The configurations.
    public let space: SweepSpace
    /// What "best" means.
    public let objective: SweepObjective

    /// A search over `space` for `objective`.
    public init(space: SweepSpace, objective: SweepObjective) {
        self.space = space
        self.objective = objective
    }

    /// Runs the descent from `start` and returns the trials it asked for, in the order first asked.
    public func run(runner: TrialRunner, start: [Int]) throws -> [Trial] {
        var asked: [Trial] = []
        var seen = Set<String>()
        func keep(_ trials: [Trial]) {
            for trial in trials where seen.insert(trial.overrides.identity).inserted { asked.append(trial) }
        }
        var current = start
        var best = try runner.run([space.overrides(current)])[0]
        keep([best])
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
                keep(trials)
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
