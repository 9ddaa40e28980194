import Deployment
import MoECore
import Reports
import Scheduling
import Workload

/// Replays a workload through a simulated cluster on a virtual clock and reports what a `vllm bench
/// serve` run against it would have measured, plus utilization and cost.
///
/// The cluster is a router in front of the deployment's instances; each instance is the Scheduling
/// module's `BatchScheduler` driven by its `InstancePlan` (step-time model, KV cache). The event loop pops
/// events in (time, sequence) order from a heap: the next arrival, and the end of each instance's step or
/// decode run. Between events that can change an instance's batch, its decode steps are taken in one
/// closed-form advance (see ``DecodeRun``), so the cost grows with requests, not with steps times batch
/// size. Every request ends exactly once, as completed, rejected with a reason, or failed with a reason.
///
/// ```swift
/// let simulation = try ClusterSimulation(plan: DeploymentPlan(scenario: Scenario.load(file: path)))
/// let report = try simulation.run()
/// print(report.summaryText())
/// ```
///
/// A simulation is deterministic: the same plan, seed and workload give byte-identical reports.
public struct ClusterSimulation: Sendable {
    /// Knobs of the measurement, not of the cluster.
    public struct Options: Sendable, Hashable {
        /// Width of the first utilization buckets (they widen to stay within `maximumBuckets`).
        public var initialBucketWidth: SimDuration
        /// Most utilization buckets per instance.
        public var maximumBuckets: Int
        /// Latency recordings kept exactly before each distribution switches to a histogram.
        public var exactLatencyCapacity: Int
        /// Events between two progress reports.
        public var progressInterval: Int

        /// The defaults: one-second buckets, at most 1,024 of them, 65,536 exact recordings.
        public init(
            initialBucketWidth: SimDuration = .seconds(1), maximumBuckets: Int = 1024,
            exactLatencyCapacity: Int = 1 << 16, progressInterval: Int = 1 << 14
        ) {
            self.initialBucketWidth = initialBucketWidth
            self.maximumBuckets = maximumBuckets
            self.exactLatencyCapacity = exactLatencyCapacity
            self.progressInterval = progressInterval
        }
    }

    /// The deployment simulated.
    public let plan: DeploymentPlan
    /// The seed of the workload's random draws.
    public let seed: UInt64
    /// How arrivals are routed.
    public let router: RouterKind
    /// Measurement knobs.
    public let options: Options
    private let instances: [SimulatedInstance]

    /// Prepares a simulation of `plan`, seeded by `seed` (default: the scenario's) and routed by `router`
    /// (default: the scenario's).
    /// - Throws: ``SimulationError`` when the deployment has prefill/decode instances or none, or an
    ///   instance's scheduler configuration is invalid.
    public init(plan: DeploymentPlan, seed: UInt64? = nil, router: RouterKind? = nil, options: Options = Options())
        throws
    {
        let scenario = plan.scenario
        guard !plan.instances.isEmpty else { throw SimulationError.noInstances(scenario: scenario.file) }
        if let disaggregated = plan.instances.first(where: { $0.role != .colocated }) {
            throw SimulationError.disaggregationNotSupported(
                scenario: scenario.file, group: disaggregated.group, role: disaggregated.role)
        }
        self.plan = plan
        self.seed = seed ?? scenario.seed
        self.router = router ?? scenario.router
        self.options = options
        instances = try plan.instances.map(SimulatedInstance.init)
    }

    /// Runs the scenario's own workload, opened with the simulation's seed.
    ///
    /// - Parameters:
    ///   - traceOptions: how a trace is read (`skipBadRows`); skipped rows are counted in the report.
    ///   - progress: called every ``Options/progressInterval`` events.
    ///   - onRecord: called with each request's record as it ends, in virtual-time order.
    /// - Throws: ``Workload/WorkloadError`` for a bad trace row or workload section; ``SimulationError``.
    public func run(
        traceOptions: TraceReaderOptions = TraceReaderOptions(), progress: ((SimulationProgress) -> Void)? = nil,
        onRecord: ((RequestRecord) -> Void)? = nil
    ) throws -> RunReport {
        var source = try ScenarioRequestSource(plan.scenario.workload, seed: seed, options: traceOptions)
        var report = try run(
            &source, duration: source.duration, limit: source.limit, progress: progress, onRecord: onRecord)
        report.counters["skipped_trace_rows"] = source.skippedRows
        report.counters["zero_output_rows_replayed_with_one"] = source.clampedZeroOutputRows
        return report
    }

    /// Runs `workload` to its end and until every request has ended.
    ///
    /// - Parameters:
    ///   - duration, limit: the workload's bounds, if known, for progress reports only.
    ///   - progress: called every ``Options/progressInterval`` events.
    ///   - onRecord: called with each request's record as it ends, in virtual-time order.
    public func run(
        _ workload: inout some RequestSource, duration: SimDuration? = nil, limit: Int? = nil,
        progress: ((SimulationProgress) -> Void)? = nil, onRecord: ((RequestRecord) -> Void)? = nil
    ) throws -> RunReport {
        var state = SimulationState(simulation: self)
        try state.run(&workload) { state in
            if let onRecord { for record in state.accounts.ended { onRecord(record) } }
            state.accounts.ended.removeAll(keepingCapacity: true)
            if let progress, state.events % options.progressInterval == 0 {
                progress(
                    SimulationProgress(
                        simulatedTime: state.now, arrived: state.arrived, inFlight: state.live.count,
                        workloadDuration: duration, workloadLimit: limit))
            }
        }
        return state.report()
    }

    /// The simulation's state while it runs; one per ``run(_:duration:limit:progress:onRecord:)``.
    struct SimulationState {
        let simulation: ClusterSimulation
        var instances: [SimulatedInstance]
        /// Each instance's load, as its router sees it.
        var loads: [InstanceLoad]
        var router: any Router
        var queue = EventQueue()
        var live = LiveRequests()
        var accounts: SimulationAccounts
        var now = SimTime.zero
        var arrived = 0
        var events = 0
        private var pending: RequestSpec?

        init(simulation: ClusterSimulation) {
            self.simulation = simulation
            instances = simulation.instances
            loads = instances.map(\.load)
            router = simulation.router.makeRouter()
            let options = simulation.options
            accounts = SimulationAccounts(
                metrics: ServingMetrics(
                    objectives: simulation.plan.scenario.slo, exactCapacity: options.exactLatencyCapacity),
                series: UtilizationSeries(
                    plan: simulation.plan, initialBucketWidth: options.initialBucketWidth,
                    maximumBuckets: options.maximumBuckets),
                cost: CostAccount(plan: simulation.plan))
        }

        /// Pops events until none is left, calling `afterEvent` after each.
        mutating func run(_ workload: inout some RequestSource, afterEvent: (inout SimulationState) -> Void) throws {
            try pull(from: &workload)
            while let event = queue.popEarliest() {
                now = SimTime(nanosecondsSinceStart: event.time)
                events += 1
                if event.target == SimulationEvent.arrivalTarget {
                    let request = pending!
                    pending = nil
                    arrive(request)
                    try pull(from: &workload)
                } else {
                    let index = Int(event.target)
                    guard event.generation == instances[index].generation else { continue }
                    if let time = instances[index].handleEvent(at: now, live: &live, accounts: &accounts) {
                        schedule(index, at: time)
                    }
                    loads[index] = instances[index].load
                }
                afterEvent(&self)
            }
            failLeftovers()
            afterEvent(&self)
        }

        /// Reads the next request and schedules its arrival.
        private mutating func pull(from workload: inout some RequestSource) throws {
            guard let next = try workload.next() else { return }
            guard next.arrival >= now else {
                throw SimulationError.arrivalsOutOfOrder(request: next.id, arrival: next.arrival, previous: now)
            }
            pending = next
            queue.schedule(at: next.arrival.nanosecondsSinceStart, target: SimulationEvent.arrivalTarget)
        }

        /// Routes an arrival to an instance and offers it there; a refusal ends it at once.
        private mutating func arrive(_ original: RequestSpec) {
            arrived += 1
            var request = original
            let objectives = simulation.plan.scenario.slo
            request.ttftSLO = request.ttftSLO ?? objectives.ttft
            request.tpotSLO = request.tpotSLO ?? objectives.tpot
            let target = router.route(request, among: loads)
            let slot = live.admit(request, instance: target)
            request.id = RequestID(UInt64(slot))
            switch instances[target].enqueue(request, now: now) {
            case .admitted:
                if let time = instances[target].noticeArrival(at: now, live: &live, accounts: &accounts) {
                    schedule(target, at: time)
                }
            case .rejected(let reason):
                accounts.rejectionsByReason[reason.kind, default: 0] += 1
                accounts.end(slot, .rejected(reason: reason.description), at: now, live: &live)
            }
            loads[target] = instances[target].load
        }

        private mutating func schedule(_ instance: Int, at time: SimTime) {
            queue.schedule(
                at: time.nanosecondsSinceStart, target: Int32(instance), generation: instances[instance].generation)
        }

        /// Fails whatever is still in flight once no event is left (nothing should be: an instance with work
        /// always has an event pending), so that every request is accounted for.
        private mutating func failLeftovers() {
            for slot in live.liveSlots {
                accounts.end(
                    slot, .failed(reason: "still in flight when the simulation ran out of events"), at: now, live: &live
                )
            }
        }

        /// The report of the run so far.
        func report() -> RunReport {
            var context = RunReport.Context(plan: simulation.plan, seed: simulation.seed)
            context.router = simulation.router.rawValue
            let activity = instances.map {
                RunReport.InstanceActivity(
                    completed: $0.completed, preemptions: $0.scheduler.preemptionsTotal, steps: $0.steps)
            }
            let counters = [
                "events": events,
                "steps": instances.reduce(0) { $0 + $1.steps },
                "scheduled_steps": instances.reduce(0) { $0 + $1.scheduledSteps },
                "decode_runs": instances.reduce(0) { $0 + $1.decodeRuns },
                "decode_runs_cut_by_arrivals": instances.reduce(0) { $0 + $1.cutRuns },
                "preemptions": activity.reduce(0) { $0 + $1.preemptions },
            ]
            return RunReport(
                context: context, metrics: accounts.metrics, utilization: accounts.series, cost: accounts.cost,
                instanceActivity: activity, rejectionsByReason: accounts.rejectionsByReason, counters: counters)
        }
    }
}
