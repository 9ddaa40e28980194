import MoECore

/// How far a simulation has got, reported every few thousand events (for a progress bar).
public struct SimulationProgress: Sendable, Hashable {
    /// The virtual time reached.
    public var simulatedTime: SimTime
    /// Requests arrived so far.
    public var arrived: Int
    /// Requests in the cluster (queued or running).
    public var inFlight: Int
    /// The workload's duration bound, when it has one.
    public var workloadDuration: SimDuration?
    /// The workload's request limit, when it has one.
    public var workloadLimit: Int?

    /// The share of the workload done, when its bounds tell: the larger of time and requests done.
    public var fraction: Double? {
        var fractions: [Double] = []
        if let workloadDuration, workloadDuration > .zero {
            fractions.append(simulatedTime.seconds / workloadDuration.seconds)
        }
        if let workloadLimit, workloadLimit > 0 { fractions.append(Double(arrived) / Double(workloadLimit)) }
        return fractions.max().map { min($0, 1) }
    }
}
