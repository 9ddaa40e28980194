import MoECore
import Reports

/// What a simulation has measured so far, shared by its instances: request metrics, utilization series,
/// cost, rejection counts, and the records of requests that just ended (handed to the caller after each
/// event, then dropped).
struct SimulationAccounts: Sendable {
    var metrics: ServingMetrics
    var series: UtilizationSeries
    var cost: CostAccount
    var rejectionsByReason: [String: Int] = [:]
    /// Records not yet handed to the caller.
    var ended: [RequestRecord] = []

    /// Ends the request in `slot` with `outcome` at `time`: frees the slot and accounts its record.
    mutating func end(_ slot: Int, _ outcome: RequestOutcome, at time: SimTime, live: inout LiveRequests) {
        let record = live.release(slot, outcome: outcome, at: time)
        metrics.record(record)
        ended.append(record)
    }
}
