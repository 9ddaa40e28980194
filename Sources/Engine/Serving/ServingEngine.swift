import Deployment
import DequeModule
import Dispatch
import MoECore
import Scheduling
import Topology

/// The scheduler core serving for real: requests in, tokens streamed out, batches run by a backend on the
/// deployment's instances, on the wall clock.
///
/// ```swift
/// let scenario = try Scenario.load(file: "Simulations/default.yaml")
/// let engine = try ServingEngine(scenario: scenario, mock: .init(timeFactor: 0.1))
/// let stream = try await engine.submit(RequestSpec(id: RequestID(1), arrival: .zero, promptTokens: 512,
///                                                  outputTokens: 64))
/// for await event in stream { ... }            // .token(...) as produced, then .finished(...)
/// let metrics = await engine.metrics()         // running, waiting, KV usage, TTFT/ITL/E2E, counters
/// await engine.shutdown()                      // drains in-flight requests, stops the device threads
/// ```
///
/// The engine is an actor whose executor is one serial Dispatch queue: the scheduling loop. Each instance
/// of the deployment has its own ``Scheduling/BatchScheduler`` (exactly the one the simulator drives) and
/// one step in flight at a time; each device has a dedicated thread bound to its NUMA node and a staging
/// buffer allocated there. While the backend runs step n, the loop admits and cancels requests, and, as
/// soon as step n ends, it commits it and hands step n + 1 to the backend before it streams step n's
/// tokens and updates records and metrics. `Docs/Engine.md` describes the loop in detail.
public actor ServingEngine {
    nonisolated let executor: DispatchQueueExecutor
    /// The scheduling queue.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The deployment served.
    public nonisolated let plan: DeploymentPlan
    /// The engine's knobs.
    public nonisolated let configuration: EngineConfiguration
    /// The clock every timestamp is read from: wall time since the engine started.
    public nonisolated let clock: EngineClock
    /// Where each instance's devices run on this machine, by instance then device.
    public nonisolated let devicePlacements: [[DevicePlacement]]

    /// Where events are delivered to callbacks and streams, in order, off the scheduling queue.
    let outputQueue: DispatchQueue
    var instances: [InstanceRuntime]
    var live: [RequestID: LiveRequest] = [:]
    var records = Deque<RequestRecord>()
    var recorder = MetricsRecorder()
    var pendingDeliveries: [Delivery] = []
    /// The next instance round-robin routing tries.
    var nextInstance = 0
    var acceptsRequests = true
    var drainWaiters: [CheckedContinuation<Void, Never>] = []
    var watchdogArmed = false

    /// Starts serving `plan` with `backend`: a scheduler per instance, and per device a NUMA-bound work
    /// queue and staging buffer handed to the backend.
    /// - Throws: ``EngineStartError`` when an instance is not colocated (prefill/decode disaggregation is
    ///   the simulator's), its scheduler configuration is invalid, or the backend refuses it.
    public init(plan: DeploymentPlan, backend: some ModelBackend, configuration: EngineConfiguration = .init())
        throws(EngineStartError)
    {
        let host = configuration.hostTopology ?? (try? HostTopology.current())
        let machine = host ?? HostTopology(nodes: [], distances: [], source: .sysfs)
        var instances: [InstanceRuntime] = []
        var placements: [[DevicePlacement]] = []
        for instance in plan.instances {
            guard instance.role == .colocated else {
                throw EngineStartError(
                    instance: instance.name,
                    message: "is a \(instance.role.rawValue) instance; the engine serves colocated instances "
                        + "(prefill/decode disaggregation is modelled by the simulator)")
            }
            let scheduler: BatchScheduler
            do {
                scheduler = try instance.makeScheduler()
            } catch {
                throw EngineStartError(instance: instance.name, message: "\(error)")
            }
            let instancePlacements = DevicePlacement.placements(
                of: instance.deviceIDs, in: instance.topology, on: machine)
            let stagingBytes = backend.stagingBytes(for: instance)
            let devices = instancePlacements.enumerated().map { rank, placement in
                EngineDevice(placement: placement, rank: rank, instanceName: instance.name, stagingBytes: stagingBytes)
            }
            let instanceExecutor: any InstanceExecutor
            do {
                instanceExecutor = try backend.makeExecutor(for: instance, devices: devices)
            } catch {
                throw EngineStartError(instance: instance.name, message: "backend: \(error)")
            }
            placements.append(instancePlacements)
            instances.append(
                InstanceRuntime(plan: instance, scheduler: scheduler, executor: instanceExecutor, devices: devices))
        }
        guard !instances.isEmpty else {
            throw EngineStartError(instance: nil, message: "the deployment has no instances")
        }
        executor = DispatchQueueExecutor(label: "moeserve.engine.scheduling")
        outputQueue = DispatchQueue(label: "moeserve.engine.output", qos: .userInitiated)
        self.plan = plan
        self.configuration = configuration
        clock = EngineClock()
        devicePlacements = placements
        self.instances = instances
    }

    /// Starts serving `scenario`'s deployment with the mock MoE backend; `mock` defaults to the scenario's
    /// seed at time factor 0.
    /// - Throws: the deployment's, the mock's or the engine's error, naming what is wrong.
    public init(
        scenario: Scenario, mock: MockMoEBackend.Configuration? = nil, configuration: EngineConfiguration = .init()
    ) throws {
        let plan = try DeploymentPlan(scenario: scenario)
        let backend = try MockMoEBackend(plan: plan, configuration: mock ?? .init(seed: scenario.seed))
        try self.init(plan: plan, backend: backend, configuration: configuration)
    }

    // MARK: - Requests

    /// Submits a request and returns its event stream. The engine stamps `arrival` with its own clock and
    /// routes the request to an instance, whose scheduler admits or refuses it.
    /// - Throws: ``EngineRejection`` when refused (the scheduler's reason, shutting down, or no instance left);
    ///   the refusal is also kept as a record.
    public func submit(_ request: RequestSpec) throws(EngineRejection) -> GenerationStream {
        let (events, continuation) = AsyncStream.makeStream(of: GenerationEvent.self)
        let id = request.id
        continuation.onTermination = { [weak self] termination in
            if case .cancelled = termination { self?.cancel(id) }
        }
        let sink = EventSink(onEvent: nil, continuation: continuation)
        defer { flushDeliveries() }
        if let rejection = admit(request, sink: sink, deliversRejection: false) {
            sink.close()
            throw rejection
        }
        return GenerationStream(id: id, events: events, engine: self)
    }

    /// Submits a request from any thread without waiting; its events, a refusal included (as `.finished`
    /// with reason `.rejected`), arrive at `onEvent` on the engine's output queue, in order.
    @discardableResult
    public nonisolated func submit(_ request: RequestSpec, onEvent: @escaping @Sendable (GenerationEvent) -> Void)
        -> RequestHandle
    {
        onSchedulingQueue { engine in
            engine.admit(request, sink: EventSink(onEvent: onEvent, continuation: nil), deliversRejection: true)
            engine.flushDeliveries()
        }
        return RequestHandle(id: request.id, engine: self)
    }

    /// Cancels a request from any thread: its KV blocks are freed at once (even mid-step) and its stream
    /// ends with reason `.cancelled`. A no-op for a request that has ended or is unknown.
    public nonisolated func cancel(_ id: RequestID) {
        onSchedulingQueue { engine in
            engine.cancelRequest(id)
            engine.flushDeliveries()
        }
    }

    /// Cancels every request in flight.
    public func cancelAll() {
        for id in live.keys.sorted() { cancelRequest(id) }
        flushDeliveries()
    }

    /// Stops accepting requests (they are refused with ``EngineRejection/shuttingDown``) and returns once
    /// every request in flight has ended.
    public func drain() async {
        acceptsRequests = false
        guard !live.isEmpty else { return }
        await withCheckedContinuation { drainWaiters.append($0) }
    }

    /// Drains, then stops the device threads. The engine serves nothing afterwards.
    public func shutdown() async {
        await drain()
        for instance in instances {
            for device in instance.devices { device.queue.close() }
        }
    }

    // MARK: - Inspection

    /// The engine's gauges, counters and histograms now.
    public func metrics() -> EngineMetrics {
        var running = 0
        var waiting = 0
        var usedBlocks = 0.0
        var totalBlocks = 0
        var preemptions = 0
        var hits = 0
        var perInstance: [InstanceMetrics] = []
        for (index, instance) in instances.enumerated() {
            let scheduler = instance.scheduler
            let blocks = instance.plan.kvCacheConfiguration.totalBlocks
            running += scheduler.runningCount
            waiting += scheduler.waitingCount
            usedBlocks += scheduler.kvUsage * Double(blocks)
            totalBlocks += blocks
            preemptions += scheduler.preemptionsTotal
            hits += scheduler.cacheHitTokensTotal.total
            perInstance.append(
                InstanceMetrics(
                    index: index, name: instance.plan.name, requestsRunning: scheduler.runningCount,
                    requestsWaiting: scheduler.waitingCount, kvCacheUsage: scheduler.kvUsage, kvBlocksTotal: blocks,
                    kvBlocksFree: scheduler.freeBlocks, preemptionsTotal: scheduler.preemptionsTotal,
                    steps: instance.steps, deviceBusyTime: instance.deviceBusyTime, failure: instance.failure))
        }
        return EngineMetrics(
            requestsRunning: running, requestsWaiting: waiting,
            kvCacheUsage: totalBlocks > 0 ? usedBlocks / Double(totalBlocks) : 0,
            promptTokensTotal: recorder.promptTokensTotal, generationTokensTotal: recorder.generationTokensTotal,
            preemptionsTotal: preemptions, prefixCacheHitTokensTotal: hits, requests: recorder.requests,
            timeToFirstToken: recorder.timeToFirstToken, interTokenLatency: recorder.interTokenLatency,
            requestTimePerOutputToken: recorder.requestTimePerOutputToken,
            e2eRequestLatency: recorder.e2eRequestLatency, requestQueueTime: recorder.requestQueueTime,
            steps: recorder.steps, stepOverhead: recorder.stepOverhead, schedulingTime: recorder.schedulingTime,
            instances: perInstance)
    }

    /// The records of ended requests (completed, cancelled, failed and rejected), oldest first, as far as
    /// ``EngineConfiguration/retainedRecords`` keeps them.
    public func finishedRecords() -> [RequestRecord] { Array(records) }

    /// The records of ended requests, removed from the engine (so a long run can hand them on in batches).
    public func takeFinishedRecords() -> [RequestRecord] {
        defer { records.removeAll() }
        return Array(records)
    }

    /// The routing counts of every step `instance` ran, summed; nil when its backend reports none.
    public func expertLoad(instance: Int) -> ExpertLoadAccumulator? { instances[instance].expertLoad }

    /// What is inconsistent in the engine's bookkeeping (empty when sound): each scheduler's own audit, and
    /// the engine's requests against the schedulers'. O(everything); for tests and debugging.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        for (index, instance) in instances.enumerated() {
            problems += instance.scheduler.invariantViolations().map { "\(instance.plan.name): \($0)" }
            let engineCount = live.values.count { $0.instance == index }
            let schedulerCount = instance.scheduler.runningCount + instance.scheduler.waitingCount
            if engineCount != schedulerCount || instance.outstanding != engineCount {
                problems.append(
                    "\(instance.plan.name): engine holds \(engineCount) requests (outstanding \(instance.outstanding)), "
                        + "scheduler \(schedulerCount)")
            }
        }
        if recorder.requests.inFlight != live.count {
            problems.append("metrics count \(recorder.requests.inFlight) in flight, engine holds \(live.count)")
        }
        return problems
    }

    /// How each device's thread binding and staging buffer ended up, by instance then device (asks every
    /// device thread, without blocking).
    public nonisolated func deviceStatus() async -> [[DeviceStatus]] {
        let devices = await instanceDevices()
        var statuses: [[DeviceStatus]] = []
        for instanceDevices in devices {
            var row: [DeviceStatus] = []
            for device in instanceDevices {
                row.append(
                    DeviceStatus(
                        placement: device.placement, threadBinding: await device.queue.threadBinding(),
                        staging: device.staging.placement))
            }
            statuses.append(row)
        }
        return statuses
    }

    private func instanceDevices() -> [[EngineDevice]] { instances.map(\.devices) }

    // MARK: - Entering the scheduling queue

    /// Runs `body` on the scheduling queue, isolated, from any thread, without waiting and without a task.
    nonisolated func onSchedulingQueue(_ body: @escaping @Sendable (isolated ServingEngine) -> Void) {
        executor.queue.async { self.assumeIsolated(body) }
    }

    /// Runs `body` on the scheduling queue at `time` on the engine's clock.
    nonisolated func onSchedulingQueue(at time: SimTime, _ body: @escaping @Sendable (isolated ServingEngine) -> Void) {
        executor.queue.asyncAfter(deadline: clock.dispatchTime(at: time)) { self.assumeIsolated(body) }
    }
}

/// A device's placement as it turned out.
public struct DeviceStatus: Sendable, Hashable {
    /// Where it was meant to run.
    public var placement: DevicePlacement
    /// How its thread's NUMA binding went.
    public var threadBinding: ThreadBinding
    /// Where its staging buffer lives.
    public var staging: BufferPlacement
}
