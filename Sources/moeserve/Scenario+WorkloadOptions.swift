import MoECore

/// The workload options `simulate` and `replay` share, so that the two read a trace identically.
extension Scenario {
    /// Replaces the workload with `trace` replayed whole at its own pace (when given) and multiplies the
    /// arrival rate by `rateScale` (when given).
    mutating func applyWorkloadOptions(trace: String?, rateScale: Double?) {
        if let trace {
            workload.source = .trace(path: trace)
            workload.duration = nil
            workload.limit = nil
            workload.timeScale = 1
            workload.rateScale = 1
        }
        if let rateScale { workload.rateScale *= rateScale }
    }
}
