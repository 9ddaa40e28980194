/// What a sweep optimizes: the cost per million output tokens of configurations whose SLO attainment
/// reaches a target; below the target, attainment itself.
public struct SweepObjective: Sendable, Hashable {
    /// The default attainment target: nine requests in ten meet every objective.
    public static let defaultMinimumAttainment = 0.9

    /// The attainment a configuration must reach to be recommended.
    public var minimumAttainment: Double

    /// An objective with `minimumAttainment` (default ``defaultMinimumAttainment``).
    public init(minimumAttainment: Double = SweepObjective.defaultMinimumAttainment) {
        self.minimumAttainment = minimumAttainment
    }

    /// Whether `trial` was measured, reached the target and has a cost.
    public func meets(_ trial: Trial) -> Bool {
        guard let metrics = trial.outcome.metrics else { return false }
        return metrics.sloAttainment >= minimumAttainment && metrics.usdPerMillionOutputTokens != nil
    }

    /// A total order for searching, smaller is better: configurations meeting the target by cost; then
    /// measured ones by attainment (highest first), then cost; infeasible ones last.
    public func rank(_ trial: Trial) -> (tier: Int, value: Double, tieBreak: Double) {
        guard let metrics = trial.outcome.metrics else { return (2, 0, 0) }
        let cost = metrics.usdPerMillionOutputTokens ?? .infinity
        if meets(trial) { return (0, cost, -metrics.sloAttainment) }
        return (1, -metrics.sloAttainment, cost)
    }

    /// Whether `trial` ranks strictly before `other`.
    public func isBetter(_ trial: Trial, than other: Trial) -> Bool {
        let (a, b) = (rank(trial), rank(other))
        return (a.tier, a.value, a.tieBreak) < (b.tier, b.value, b.tieBreak)
    }
}
