import Deployment
import MoECore

/// What one step contributes to its instance's utilization: the step-time model's figures for it and
/// the work it did.
public struct StepSample: Sendable, Hashable {
    /// Requests in the batch.
    public var sequences: Int
    /// Fraction of the instance's HBM KV blocks held during the step.
    public var kvUsage: Double
    /// Model FLOPs utilization during the step.
    public var mfu: Double
    /// HBM bandwidth utilization during the step.
    public var hbmBandwidthUtilization: Double
    /// Busiest expert-parallel link's utilization during the step.
    public var linkUtilization: Double
    /// Prompt tokens computed (cache hits excluded).
    public var prefillTokens: Int
    /// Output tokens sampled.
    public var outputTokens: Int

    /// Creates a sample.
    public init(
        sequences: Int, kvUsage: Double, mfu: Double, hbmBandwidthUtilization: Double, linkUtilization: Double,
        prefillTokens: Int, outputTokens: Int
    ) {
        self.sequences = sequences
        self.kvUsage = kvUsage
        self.mfu = mfu
        self.hbmBandwidthUtilization = hbmBandwidthUtilization
        self.linkUtilization = linkUtilization
        self.prefillTokens = prefillTokens
        self.outputTokens = outputTokens
    }
}

/// Time integrals of an instance's activity over a span: busy time, and each utilization figure
/// multiplied by the time it held. Divided by the span, they give time-weighted means (idle time counts 0).
public struct UtilizationIntegrals: Sendable, Hashable {
    /// Seconds spent running steps.
    public var busySeconds = 0.0
    /// Requests in the batch x seconds.
    public var sequenceSeconds = 0.0
    /// KV usage x seconds.
    public var kvUsageSeconds = 0.0
    /// MFU x seconds.
    public var mfuSeconds = 0.0
    /// HBM bandwidth utilization x seconds.
    public var hbmSeconds = 0.0
    /// Link utilization x seconds.
    public var linkSeconds = 0.0
    /// Prompt tokens computed.
    public var prefillTokens = 0.0
    /// Output tokens sampled.
    public var outputTokens = 0.0

    /// Nothing yet.
    public init() {}

    /// Adds `fraction` of a step of `seconds` with `sample`.
    @inline(__always)
    mutating func add(_ sample: StepSample, seconds: Double, fraction: Double) {
        let time = seconds * fraction
        busySeconds += time
        sequenceSeconds += Double(sample.sequences) * time
        kvUsageSeconds += sample.kvUsage * time
        mfuSeconds += sample.mfu * time
        hbmSeconds += sample.hbmBandwidthUtilization * time
        linkSeconds += sample.linkUtilization * time
        prefillTokens += Double(sample.prefillTokens) * fraction
        outputTokens += Double(sample.outputTokens) * fraction
    }

    /// Adds another span's integrals.
    mutating func add(_ other: UtilizationIntegrals) {
        busySeconds += other.busySeconds
        sequenceSeconds += other.sequenceSeconds
        kvUsageSeconds += other.kvUsageSeconds
        mfuSeconds += other.mfuSeconds
        hbmSeconds += other.hbmSeconds
        linkSeconds += other.linkSeconds
        prefillTokens += other.prefillTokens
        outputTokens += other.outputTokens
    }
}

/// Each instance's utilization over time, in buckets of equal width, in memory bounded whatever the run's
/// length: when the buckets would exceed ``maximumBuckets``, neighbours merge pairwise and the width
/// doubles (starting at ``initialBucketWidth``), so a ten-minute run has one-second buckets and a day
/// about two-minute ones. A step spanning buckets is split between them by time. Whole-run totals per
/// instance are kept apart, unmerged.
public struct UtilizationSeries: Sendable {
    /// An instance as the series and its CSV describe it.
    public struct Instance: Sendable, Hashable {
        /// Name such as `colocated-0`.
        public var name: String
        /// What it serves.
        public var role: InstanceRole
        /// Index of its first device in its pool's topology.
        public var deviceOffset: Int
        /// Index of its first device in the cluster-wide numbering (pool 0's devices first).
        public var clusterDeviceOffset: Int
        /// Index of its pool's first node in the cluster-wide numbering.
        public var poolNodeOffset: Int
        /// Devices it holds.
        public var devices: Int
        /// Attention data-parallel ranks (its batch divides over them).
        public var attentionDP: Int
        /// Devices per node of its pool, to name each device's node.
        public var devicesPerNode: Int
        /// Each expert-parallel rank's share of routed tokens relative to an even split (empty when dense).
        public var expertLoadShares: [Double]

        /// Describes an instance.
        public init(
            name: String, role: InstanceRole, deviceOffset: Int, devices: Int, attentionDP: Int, devicesPerNode: Int,
            expertLoadShares: [Double], clusterDeviceOffset: Int? = nil, poolNodeOffset: Int = 0
        ) {
            self.name = name
            self.role = role
            self.deviceOffset = deviceOffset
            self.clusterDeviceOffset = clusterDeviceOffset ?? deviceOffset
            self.poolNodeOffset = poolNodeOffset
            self.devices = devices
            self.attentionDP = attentionDP
            self.devicesPerNode = devicesPerNode
            self.expertLoadShares = expertLoadShares
        }

        /// Describes `plan`'s instance, whose pool's first node is `poolNodeOffset` in the cluster.
        public init(_ plan: InstancePlan, poolNodeOffset: Int) {
            self.init(
                name: plan.name, role: plan.role, deviceOffset: plan.deviceOffset, devices: plan.devices,
                attentionDP: plan.spec.attentionDP, devicesPerNode: plan.topology.devicesPerHost,
                expertLoadShares: plan.expertLoadShares, clusterDeviceOffset: plan.clusterDeviceOffset,
                poolNodeOffset: poolNodeOffset)
        }

        /// The busiest expert-parallel rank's share over an even split (1 when balanced or dense).
        public var expertImbalance: Double { expertLoadShares.max() ?? 1 }

        /// The cluster-wide index of the node holding the instance's device `device` (0-based in the instance).
        public func node(ofDevice device: Int) -> Int { poolNodeOffset + (deviceOffset + device) / devicesPerNode }
    }

    /// The instances, in deployment order.
    public let instances: [Instance]
    /// The width buckets start at.
    public let initialBucketWidth: SimDuration
    /// Most buckets kept per instance.
    public let maximumBuckets: Int
    /// The current bucket width.
    public private(set) var bucketWidth: SimDuration
    /// Per instance, its buckets from time 0 (trailing empty buckets are not stored).
    public private(set) var buckets: [[UtilizationIntegrals]]
    /// Per instance, the whole run's integrals.
    public private(set) var totals: [UtilizationIntegrals]

    /// An empty series for `instances`.
    public init(instances: [Instance], initialBucketWidth: SimDuration = .seconds(1), maximumBuckets: Int = 1024) {
        precondition(initialBucketWidth > .zero && maximumBuckets >= 2, "buckets need a width and room for two")
        self.instances = instances
        self.initialBucketWidth = initialBucketWidth
        self.maximumBuckets = maximumBuckets
        bucketWidth = initialBucketWidth
        buckets = Array(repeating: [], count: instances.count)
        totals = Array(repeating: UtilizationIntegrals(), count: instances.count)
    }

    /// An empty series for every instance of `plan`.
    public init(plan: DeploymentPlan, initialBucketWidth: SimDuration = .seconds(1), maximumBuckets: Int = 1024) {
        var nodeOffsets: [Int] = []
        var nodes = 0
        for pool in plan.scenario.pools {
            nodeOffsets.append(nodes)
            nodes += pool.cluster.hosts
        }
        self.init(
            instances: plan.instances.map { Instance($0, poolNodeOffset: nodeOffsets[$0.pool]) },
            initialBucketWidth: initialBucketWidth, maximumBuckets: maximumBuckets)
    }

    /// Adds a step of `instance` that ran from `start` for `duration`.
    public mutating func add(instance: Int, start: SimTime, duration: SimDuration, sample: StepSample) {
        let seconds = duration.seconds
        totals[instance].add(sample, seconds: seconds, fraction: 1)
        let end = start.nanosecondsSinceStart + duration.nanoseconds
        while max(end - 1, start.nanosecondsSinceStart) / bucketWidth.nanoseconds >= Int64(maximumBuckets) {
            coarsen()
        }
        let width = bucketWidth.nanoseconds
        var bucket = Int(start.nanosecondsSinceStart / width)
        guard duration.nanoseconds > 0 else {
            addToBucket(instance, bucket, sample, seconds: 0, fraction: 1)
            return
        }
        var from = start.nanosecondsSinceStart
        while from < end {
            let bucketEnd = Int64(bucket + 1) * width
            let to = min(end, bucketEnd)
            addToBucket(
                instance, bucket, sample, seconds: seconds, fraction: Double(to - from) / Double(duration.nanoseconds))
            from = to
            bucket += 1
        }
    }

    /// Adds `fraction` of a step to bucket `index` of `instance`, creating it (and any before it) if missing.
    private mutating func addToBucket(
        _ instance: Int, _ index: Int, _ sample: StepSample, seconds: Double, fraction: Double
    ) {
        if index >= buckets[instance].count {
            buckets[instance].append(
                contentsOf: repeatElement(UtilizationIntegrals(), count: index + 1 - buckets[instance].count))
        }
        buckets[instance][index].add(sample, seconds: seconds, fraction: fraction)
    }

    /// Merges neighbouring buckets pairwise and doubles the width.
    private mutating func coarsen() {
        for instance in buckets.indices {
            let old = buckets[instance]
            var merged: [UtilizationIntegrals] = []
            merged.reserveCapacity((old.count + 1) / 2)
            for pair in stride(from: 0, to: old.count, by: 2) {
                var bucket = old[pair]
                if pair + 1 < old.count { bucket.add(old[pair + 1]) }
                merged.append(bucket)
            }
            buckets[instance] = merged
        }
        bucketWidth = bucketWidth * 2
    }
}
