/// The trade-off a sweep shows: the measured configurations no other beats on both cost per million output
/// tokens (lower) and SLO attainment (higher), and the one it recommends.
public enum ParetoFrontier {
    /// The frontier of `trials`, cheapest first: each point's attainment is above every cheaper point's.
    /// Equal points keep the first in `trials`' order. Trials without a cost (nothing completed) are left out.
    public static func frontier(_ trials: [Trial]) -> [Trial] {
        let measured = trials.enumerated().compactMap { position, trial -> (Int, Trial, Double, Double)? in
            guard let metrics = trial.outcome.metrics, let cost = metrics.usdPerMillionOutputTokens else { return nil }
            return (position, trial, cost, metrics.sloAttainment)
        }
        let sorted = measured.sorted { ($0.2, -$0.3, $0.0) < ($1.2, -$1.3, $1.0) }
        var frontier: [Trial] = []
        var bestAttainment = -Double.infinity
        for (_, trial, _, attainment) in sorted where attainment > bestAttainment {
            frontier.append(trial)
            bestAttainment = attainment
        }
        return frontier
    }

    /// The cheapest trial meeting `objective`'s attainment target (the higher attainment on equal cost, then
    /// the first asked), or nil when none does.
    public static func recommended(_ trials: [Trial], objective: SweepObjective) -> Trial? {
        var best: Trial?
        for trial in trials where objective.meets(trial) {
            if let current = best, !objective.isBetter(trial, than: current) { continue }
            best = trial
        }
        return best
    }
}
