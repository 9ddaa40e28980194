import Deployment
import MoECore
import Reports
import Scheduling
import Workload

/// Replays a workload through a simulated cluster on a virtual clock and reports what a `vllm bench
/// serve` run against it would have measured, plus utilization, cost and the cluster's dynamics.
///
/// The cluster is a router in front of the deployment's instances, or, disaggregated, a prefill router in
/// front of the prefill instances and a decode router that takes each prefilled request's KV cache to a
/// decode instance over the network. Each instance is the Scheduling module's `BatchScheduler` driven by its
/// `InstancePlan` (step-time model, KV cache). The event loop pops events in (time, sequence) order from a
/// heap: arrivals, the end of each instance's step or decode run, KV transfers landing, and the cluster's
/// dynamics (autoscaler decisions, instances ready, faults and repairs, expert re-balances). Between events
/// that can change an instance's batch, its decode steps are taken in one closed-form advance (see
/// ``DecodeRun``), so the cost grows with requests, not with steps times batch size. Every request ends
/// exactly once, as completed, rejected with a reason, or failed with a reason.
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
    /// The seed of the workload's and the dynamics' random draws.
    public let seed: UInt64
    /// How arrivals are routed (to colocated instances, or to prefill instances).
    public let router: RouterKind
    /// How prefilled requests are routed to decode instances (disaggregated deployments).
    public let decodeRouter: RouterKind
    /// Measurement knobs.
    public let options: Options
    let instances: [SimulatedInstance]

    /// Prepares a simulation of `plan`, seeded by `seed` (default: the scenario's) and routed by `router` and
    /// `decodeRouter` (default: the scenario's).
    /// - Throws: ``SimulationError`` when the deployment has no instances or an instance's scheduler
    ///   configuration is invalid.
    public init(
        plan: DeploymentPlan, seed: UInt64? = nil, router: RouterKind? = nil, decodeRouter: RouterKind? = nil,
        options: Options = Options()
    ) throws {
        let scenario = plan.scenario
        guard !plan.instances.isEmpty else { throw SimulationError.noInstances(scenario: scenario.file) }
        self.plan = plan
        self.seed = seed ?? scenario.seed
        self.router = router ?? scenario.router
        self.decodeRouter = decodeRouter ?? scenario.decodeRouter
        self.options = options
        instances = try plan.instances.map(SimulatedInstance.init)
    }

    /// Runs the scenario's own workload, opened with the simulation's seed.
    ///
    /// - Parameters:
    ///   - traceOptions: how a trace is read (`skipBadRows`); skipped rows are counted in the report.
    ///   - progress: called every ``Options/progressInterval`` events.
    ///   - onRecord: called with each request's record as it ends.
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
    ///   - onRecord: called with each request's record as it ends.
    public func run(
        _ workload: inout some RequestSource, duration: SimDuration? = nil, limit: Int? = nil,
        progress: ((SimulationProgress) -> Void)? = nil, onRecord: ((RequestRecord) -> Void)? = nil
    ) throws -> RunReport {
        var state = try SimulationState(simulation: self)
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

    /// The simulation's state while it runs; one per ``run(_:duration:limit:progress:onRecord:)``. Its
    /// request flow (arrivals, routing, hand-offs) and its dynamics (autoscaling, faults, re-balances) are
    /// extensions in their own files.
    struct SimulationState {
        let simulation: ClusterSimulation
        var instances: [SimulatedInstance]
        /// The stages requests pass through: colocated, or prefill then decode.
        var stages: [StageRouting]
        /// Each instance's stage (index into `stages`).
        let stageOfInstance: [Int]
        var queue = EventQueue()
        var live: LiveRequests
        var accounts: SimulationAccounts
        var network: KVTransferNetwork
        /// The shared context cache, created with the first request that has prefix hashes.
        var contextCache: ContextCache?
        /// KV transfers on their way to each instance: requests and tokens.
        var incoming: [(requests: Int, tokens: Int)]
        var autoscalers: [GroupAutoscaler] = []
        var faults: FaultSchedule?
        var rebalancer: ExpertRebalancer?
        /// Per instance: its full plan (to restore after a repair), the plan it restarts with, and the
        /// generation of its lifecycle events.
        let fullPlans: [InstancePlan]
        var restartPlans: [InstancePlan?]
        var lifecycleGenerations: [UInt32]
        /// Per instance, whether its drain ends in a rebuild at full size (a repair) rather than a release.
        var rebuildsAfterDrain: [Bool]
        /// Per instance, whether its warm-up is a restart after a fault (else an autoscaler's scale-out).
        var restartingAfterFault: [Bool]
        /// How many faults hold each cluster-wide device down, and each NIC down.
        var deviceDownCount: [Int]
        var nicDownCount: [Int]
        let random: SeededGenerator
        var now = SimTime.zero
        var arrived = 0
        var events = 0
        var pending: RequestSpec?
        /// Whether the workload has no more requests.
        var workloadExhausted = false

        init(simulation: ClusterSimulation) throws {
            self.simulation = simulation
            let plan = simulation.plan
            instances = simulation.instances
            let scenario = plan.scenario
            let roles: [InstanceRole] = scenario.isDisaggregated ? [.prefill, .decode] : [.colocated]
            stageOfInstance = plan.instances.map { roles.firstIndex(of: $0.role) ?? 0 }
            stages = roles.enumerated().map { stage, role in
                StageRouting(
                    role: role,
                    router: (role == .decode ? simulation.decodeRouter : simulation.router).makeRouter(),
                    members: plan.instances.indices.filter { plan.instances[$0].role == role },
                    instanceCount: plan.instances.count)
            }
            let options = simulation.options
            accounts = SimulationAccounts(
                metrics: ServingMetrics(objectives: scenario.slo, exactCapacity: options.exactLatencyCapacity),
                series: UtilizationSeries(
                    plan: plan, initialBucketWidth: options.initialBucketWidth, maximumBuckets: options.maximumBuckets),
                cost: CostAccount(plan: plan))
            accounts.reportsPrefilledPrompts = scenario.contextCache != nil
            live = LiveRequests(
                keepsSpecs: scenario.isDisaggregated || scenario.contextCache != nil || !scenario.faults.isEmpty
                    || scenario.deployment.contains { $0.autoscale != nil })
            network = KVTransferNetwork(fabric: plan.fabric)
            incoming = Array(repeating: (0, 0), count: plan.instances.count)
            fullPlans = plan.instances
            restartPlans = Array(repeating: nil, count: plan.instances.count)
            lifecycleGenerations = Array(repeating: 0, count: plan.instances.count)
            rebuildsAfterDrain = Array(repeating: false, count: plan.instances.count)
            restartingAfterFault = rebuildsAfterDrain
            deviceDownCount = Array(repeating: 0, count: scenario.clusterDevices)
            nicDownCount = Array(repeating: 0, count: plan.fabric.nicCount)
            random = SeededGenerator(seed: simulation.seed).derived(stream: 0xD1_0000)
            for index in instances.indices {
                stages[stageOfInstance[index]].setRoutable(index, true, load: instances[index].load)
            }
            try startDynamics()
        }

        /// Pops events until none is left, calling `afterEvent` after each.
        mutating func run(_ workload: inout some RequestSource, afterEvent: (inout SimulationState) -> Void) throws {
            try pull(from: &workload)
            while let event = queue.popEarliest() {
                now = SimTime(nanosecondsSinceStart: event.time)
                events += 1
                switch event.kind {
                case .arrival:
                    let request = pending!
                    pending = nil
                    arrive(request)
                    try pull(from: &workload)
                case .instanceWork:
                    let index = Int(event.target)
                    guard event.generation == instances[index].generation else { continue }
                    if let time = instances[index].handleEvent(at: now, live: &live, accounts: &accounts) {
                        schedule(index, at: time)
                    }
                    instanceChanged(index)
                case .transferDone: land(slot: Int(event.target), epoch: event.generation)
                case .instanceReady:
                    let index = Int(event.target)
                    guard event.generation == lifecycleGenerations[index] else { continue }
                    becomeReady(index)
                case .autoscale: autoscale(group: Int(event.target))
                case .fault: strike(fault: Int(event.target))
                case .repair: repair(fault: Int(event.target))
                case .rebalance: try rebalance()
                }
                afterEvent(&self)
            }
            failLeftovers()
            afterEvent(&self)
        }

        /// Reads the next request and schedules its arrival.
        private mutating func pull(from workload: inout some RequestSource) throws {
            guard let next = try workload.next() else {
                workloadExhausted = true
                return
            }
            guard next.arrival >= now else {
                throw SimulationError.arrivalsOutOfOrder(request: next.id, arrival: next.arrival, previous: now)
            }
            pending = next
            queue.schedule(.arrival, at: next.arrival.nanosecondsSinceStart, target: -1)
        }

        /// Whether anything is left to serve: requests to come or in flight.
        var workRemains: Bool { !workloadExhausted || live.count > 0 }

        /// Schedules the end of `instance`'s next work at `time`.
        mutating func schedule(_ instance: Int, at time: SimTime) {
            queue.schedule(
                .instanceWork, at: time.nanosecondsSinceStart, target: Int32(instance),
                generation: instances[instance].generation)
        }

        /// After `instance` changed: passes on what it handed back, refreshes its load for its router, and ends
        /// its drain when it has become idle.
        mutating func instanceChanged(_ index: Int) {
            if !accounts.prefilled.isEmpty { storePrefilledPrompts() }
            if !accounts.handoffs.isEmpty { startTransfers() }
            stages[stageOfInstance[index]].update(index, instances[index].load)
            if instances[index].lifecycle == .draining { finishDrainIfIdle(index) }
        }

        /// Fails whatever is still in flight once no event is left, so that every request is accounted for:
        /// requests no instance could take (every instance of their stage down or released for good), and
        /// anything else (nothing should be: an instance with work always has an event pending).
        private mutating func failLeftovers() {
            for slot in live.liveSlots {
                let entry = live[slot]
                let reason =
                    entry.stage == .unrouted
                    ? "no \(stages[stageIndex(entry.awaitedStage)].role.rawValue) instance was left to serve it"
                    : "still in flight when the simulation ran out of events"
                accounts.end(slot, .failed(reason: reason), at: now, live: &live)
            }
        }
    }
}
