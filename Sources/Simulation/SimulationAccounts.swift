import MoECore
import Reports

/// What a simulation has measured so far, shared by its instances: request metrics, utilization series,
/// cost, rejection counts, the cluster's dynamics, the records of requests that just ended (handed to the
/// caller after each event, then dropped), and the requests an instance hands back to the cluster.
struct SimulationAccounts: Sendable {
    var metrics: ServingMetrics
    var series: UtilizationSeries
    var cost: CostAccount
    var dynamics = ClusterDynamics()
    var rejectionsByReason: [String: Int] = [:]
    /// Records not yet handed to the caller.
    var ended: [RequestRecord] = []
    /// Whether instances report prompts they finished prefilling (for the shared context cache).
    var reportsPrefilledPrompts = false
    /// Slots whose prompt an instance just finished prefilling, when reported.
    var prefilled: [Int] = []
    /// Slots a prefill instance just finished, whose KV cache must now go to a decode instance.
    var handoffs: [Int] = []

    /// Ends the request in `slot` with `outcome` at `time`: frees the slot and accounts its record.
    mutating func end(_ slot: Int, _ outcome: RequestOutcome, at time: SimTime, live: inout LiveRequests) {
        let record = live.release(slot, outcome: outcome, at: time)
        metrics.record(record)
        ended.append(record)
    }
}
