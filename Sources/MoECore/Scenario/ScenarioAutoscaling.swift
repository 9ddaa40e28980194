/// How an instance group's instance count changes over time (`deployment.instances[i].autoscale`). The
/// group's `count` is the most instances it may run; the nodes of the others are lent out (DeepSeek lends
/// its night-time inference nodes to research and training) and are not billed to serving.
public struct ScenarioAutoscaling: Hashable, Sendable {
    /// What decides the instance count.
    public enum Policy: Hashable, Sendable {
        /// A fixed daily (or `period`) schedule: from each step's offset on, that many instances.
        case schedule([ScheduleStep], period: SimDuration)
        /// Driven by measured load, as Kubernetes' Horizontal Pod Autoscaler is.
        case load(LoadTargets)
    }

    /// From `offset` into the period on, run `instances` instances.
    public struct ScheduleStep: Hashable, Sendable {
        /// Offset into the period.
        public var offset: SimDuration
        /// Instances from then on.
        public var instances: Int

        /// Creates a step.
        public init(offset: SimDuration, instances: Int) {
            self.offset = offset
            self.instances = instances
        }
    }

    /// What a load-driven group aims at and how quickly it moves.
    public struct LoadTargets: Hashable, Sendable {
        /// Fewest instances.
        public var minimumInstances: Int
        /// Target mean queueing delay (arrival to first scheduled), or nil.
        public var queueDelay: SimDuration?
        /// Target mean KV-cache usage of the running instances, or nil.
        public var kvUsage: Double?
        /// Time between two decisions.
        public var interval: SimDuration
        /// A scale-in happens only once every decision in this window asked for fewer instances (the HPA's
        /// scale-down stabilization window, 300 s by default there).
        public var scaleInDelay: SimDuration

        /// Creates targets.
        public init(
            minimumInstances: Int, queueDelay: SimDuration?, kvUsage: Double?, interval: SimDuration,
            scaleInDelay: SimDuration
        ) {
            self.minimumInstances = minimumInstances
            self.queueDelay = queueDelay
            self.kvUsage = kvUsage
            self.interval = interval
            self.scaleInDelay = scaleInDelay
        }
    }

    /// The policy.
    public var policy: Policy
    /// Time from provisioning an instance to its first request: loading weights and starting the engine.
    public var warmUp: SimDuration

    /// Creates an autoscaling description.
    public init(policy: Policy, warmUp: SimDuration) {
        self.policy = policy
        self.warmUp = warmUp
    }

    /// Warm-up when none is given: five minutes to load a large MoE model's weights and start serving [U].
    public static let defaultWarmUp = SimDuration.seconds(300)

    /// The instances a schedule asks for at `time` since the start, or nil for a load-driven policy.
    public func scheduledInstances(at time: SimTime) -> Int? {
        guard case .schedule(let steps, let period) = policy else { return nil }
        let offset = SimDuration(nanoseconds: time.nanosecondsSinceStart % period.nanoseconds)
        return steps.last(where: { $0.offset <= offset })?.instances ?? steps.last?.instances
    }
}

extension ScenarioAutoscaling {
    static let documentKeys = [
        "schedule", "period_h", "min_instances", "target_queue_delay_ms", "target_kv_usage", "interval_s",
        "scale_in_delay_s", "warmup_s",
    ]

    /// Decodes the section for a group of at most `maximum` instances: either `schedule` (with `period_h`) or
    /// load targets (`target_queue_delay_ms` and/or `target_kv_usage`, with `min_instances`, `interval_s`,
    /// `scale_in_delay_s`); `warmup_s` for both.
    init(document: DocumentNode, maximum: Int) throws {
        let fields = try document.mapping(keys: Self.documentKeys)
        let warmUp = try fields.optional("warmup_s").map { SimDuration.seconds(try $0.number(.nonNegative)) }
        let loadKeys = ["min_instances", "target_queue_delay_ms", "target_kv_usage", "interval_s", "scale_in_delay_s"]
        if let scheduleNode = fields.optional("schedule") {
            if let stray = loadKeys.first(where: fields.contains) {
                throw try fields.required(stray).error("a schedule and load targets exclude each other; use one")
            }
            let period =
                try fields.optional("period_h").map { SimDuration.seconds(try $0.number(.positive) * 3600) }
                ?? .seconds(86_400)
            policy = .schedule(try Self.steps(scheduleNode, period: period, maximum: maximum), period: period)
        } else {
            if let period = fields.optional("period_h") { throw period.error("period_h belongs to a schedule") }
            let queueDelay = try fields.optional("target_queue_delay_ms").map {
                SimDuration.milliseconds(try $0.number(.positive))
            }
            let kvUsage = try fields.optional("target_kv_usage").map { node -> Double in
                let value = try node.number(.fraction)
                guard value > 0 else { throw node.mismatch(expected: "a fraction above 0") }
                return value
            }
            guard queueDelay != nil || kvUsage != nil else {
                throw document.error(
                    "expected a schedule or at least one load target (target_queue_delay_ms, target_kv_usage)")
            }
            let minimum = try fields.optional("min_instances")?.integer(.range(1...maximum)) ?? 1
            policy = .load(
                LoadTargets(
                    minimumInstances: minimum, queueDelay: queueDelay, kvUsage: kvUsage,
                    interval: try fields.optional("interval_s").map { .seconds(try $0.number(.positive)) }
                        ?? .seconds(30),
                    scaleInDelay: try fields.optional("scale_in_delay_s").map { .seconds(try $0.number(.nonNegative)) }
                        ?? .seconds(300)))
        }
        self.warmUp = warmUp ?? Self.defaultWarmUp
    }

    /// The schedule's steps: offsets from 0, increasing and within the period; 1 to `maximum` instances.
    private static func steps(_ node: DocumentNode, period: SimDuration, maximum: Int) throws -> [ScheduleStep] {
        var steps: [ScheduleStep] = []
        for entry in try node.nonEmptyList() {
            let fields = try entry.mapping(keys: ["at_h", "instances"])
            let atNode = try fields.required("at_h")
            let offset = SimDuration.seconds(try atNode.number(.nonNegative) * 3600)
            if steps.isEmpty, offset != .zero { throw atNode.mismatch(expected: "0 for the first step") }
            if let last = steps.last, offset <= last.offset {
                throw atNode.mismatch(expected: "a time after the previous step's")
            }
            if offset >= period { throw atNode.mismatch(expected: "a time within the period (period_h)") }
            let instances = try fields.required("instances").integer(.range(1...maximum))
            steps.append(ScheduleStep(offset: offset, instances: instances))
        }
        return steps
    }
}
