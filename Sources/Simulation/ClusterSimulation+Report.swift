import MoECore
import Reports

extension ClusterSimulation.SimulationState {
    /// The report of the run so far.
    func report() -> RunReport {
        var context = RunReport.Context(plan: simulation.plan, seed: simulation.seed)
        context.router =
            stages.count > 1
            ? "\(simulation.router.rawValue)+\(simulation.decodeRouter.rawValue)" : simulation.router.rawValue
        let activity = instances.map {
            RunReport.InstanceActivity(completed: $0.completed, preemptions: $0.preemptionsTotal, steps: $0.steps)
        }
        let counters = [
            "events": events,
            "steps": instances.reduce(0) { $0 + $1.steps },
            "scheduled_steps": instances.reduce(0) { $0 + $1.scheduledSteps },
            "decode_runs": instances.reduce(0) { $0 + $1.decodeRuns },
            "decode_runs_cut_by_arrivals": instances.reduce(0) { $0 + $1.cutRuns },
            "preemptions": activity.reduce(0) { $0 + $1.preemptions },
        ]
        var dynamics = accounts.dynamics
        if let cache = contextCache {
            dynamics.contextCache = .init(
                capacityBlocks: cache.capacityBlocks, blockTokens: cache.blockTokens, statistics: cache.statistics)
        }
        return RunReport(
            context: context, metrics: accounts.metrics, utilization: accounts.series, cost: accounts.cost,
            instanceActivity: activity, rejectionsByReason: accounts.rejectionsByReason, counters: counters,
            dynamics: dynamics)
    }
}
