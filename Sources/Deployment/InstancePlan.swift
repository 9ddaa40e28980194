import MoECore
import PerfModel
import Scheduling
import Topology

/// One serving instance of a deployment: which devices it holds, how long its batches take, and the
/// scheduler and KV cache that decide them.
public struct InstancePlan: Sendable {
    /// Position among all the deployment's instances.
    public let index: Int
    /// Index of its instance group in the scenario.
    public let group: Int
    /// Position within its group.
    public let indexInGroup: Int
    /// What it serves: prefill and decode, or one of them.
    public let role: InstanceRole
    /// The group's layout (for a shrunk instance, the layout it serves with now).
    public let spec: InstanceGroupSpec
    /// The host pool the instance runs on (``DeploymentPlan/pools``).
    public let pool: Int
    /// Its pool's topology.
    public let topology: ClusterTopology
    /// First device in its pool's topology; the instance holds `devices` consecutive devices.
    public let deviceOffset: Int
    /// First device in the cluster-wide numbering (pool 0's devices first, then each further pool's).
    public let clusterDeviceOffset: Int
    /// The step-time model of its batches.
    public let stepTimeModel: StepTimeModel
    /// The scheduler knobs, scaled to the instance's data-parallel ranks.
    public let schedulerConfiguration: SchedulerConfiguration
    /// Its KV cache, sized from the memory budget.
    public let kvCacheConfiguration: KVCacheConfiguration
    /// Dollars per hour of its devices.
    public let pricePerHour: Dollars
    /// Expected tokens a decode sequence gains per step (above 1 with multi-token prediction).
    public let tokensPerDecodeStep: Double
    /// Query tokens a decode sequence runs per step (1, plus one per MTP draft layer).
    public let queryTokensPerDecodeSequence: Int

    /// Devices it holds.
    public var devices: Int { spec.devicesPerInstance }
    /// The devices, as ids in its pool's topology.
    public var deviceIDs: [DeviceID] { (deviceOffset..<(deviceOffset + devices)).map(DeviceID.init) }
    /// The device holding attention data-parallel rank `rank` (the first of its tensor-parallel devices).
    public func device(ofRank rank: Int) -> PooledDeviceID {
        PooledDeviceID(pool: pool, device: DeviceID(deviceOffset + rank * spec.attentionTP))
    }
    /// Nodes it occupies, counting a node it shares with other instances in proportion to its devices.
    public var nodeShare: Double { Double(devices) / Double(topology.devicesPerHost) }
    /// A readable name such as `colocated-1` or `decode-0`.
    public var name: String { "\(role.rawValue)-\(indexInGroup)" }

    init(
        index: Int, group: Int, indexInGroup: Int, spec: InstanceGroupSpec, scenario: Scenario,
        topology: ClusterTopology, deviceOffset: Int, clusterDeviceOffset: Int, expertLoad: ExpertLoadMatrix?,
        placement: ExpertPlacement?
    ) throws {
        self.index = index
        self.group = group
        self.indexInGroup = indexInGroup
        self.spec = spec
        role = spec.role
        pool = spec.pool
        self.topology = topology
        self.deviceOffset = deviceOffset
        self.clusterDeviceOffset = clusterDeviceOffset
        let configuration = InstanceConfiguration(
            model: scenario.model, topology: topology, deviceOffset: deviceOffset, devices: spec.devicesPerInstance,
            attentionDP: spec.attentionDP, attentionTP: spec.attentionTP,
            expertParallel: scenario.model.moe == nil ? nil : spec.ep, redundantExperts: spec.redundantExperts,
            weightFormat: spec.weights, kvFormat: spec.kvCache, microBatches: spec.microBatches,
            mtpAcceptance: spec.mtpAcceptance, expertLoad: expertLoad, placement: placement)
        let model = try StepTimeModel(configuration)
        stepTimeModel = model
        tokensPerDecodeStep = configuration.expectedTokensPerDecodeStep
        queryTokensPerDecodeSequence = configuration.queryTokensPerDecodeSequence
        let knobs = scenario.scheduler
        var scheduler = SchedulerConfiguration(scenario: knobs, dataParallelRanks: spec.attentionDP)
        if knobs.admissionControl == .slo {
            scheduler.predictedPrefillTokensPerSecond = Self.prefillTokensPerSecond(
                model, chunkTokens: scheduler.maxNumBatchedTokens)
        }
        schedulerConfiguration = scheduler
        let bytesPerToken = scenario.model.kvBytesPerToken(format: spec.kvCache)
        let tokens = model.memory.kvCapacityTokensPerInstance
        let device = topology.device
        let hostTier = spec.hostKVCache.map { cache in
            KVCacheTier(
                capacity: cache.capacity, bytesPerToken: bytesPerToken, blockSize: knobs.blockSize,
                loadBandwidth: cache.loadBandwidth ?? device.hostLinkBandwidth * Double(spec.devicesPerInstance))
        }
        let nodeShare = Double(spec.devicesPerInstance) / Double(topology.devicesPerHost)
        kvCacheConfiguration = KVCacheConfiguration(
            totalBlocks: tokens / knobs.blockSize, bytesPerToken: bytesPerToken, prefixCaching: knobs.prefixCaching,
            hostTier: hostTier,
            contextCacheLoadBandwidth: scenario.contextCache.map { $0.loadBandwidthPerNode * nodeShare })
        pricePerHour = Dollars(
            scenario.pools[spec.pool].device.pricePerHour.amount * Double(spec.devicesPerInstance))
    }

    /// A fresh scheduler for the instance.
    public func makeScheduler() throws(ConfigurationError) -> BatchScheduler {
        try BatchScheduler(configuration: schedulerConfiguration, kvCache: kvCacheConfiguration)
    }

    /// The instance's prefill throughput on full steps of `chunkTokens` new tokens of 2,048-token
    /// prompts: what admission control divides the prefill backlog by to predict a time to first token.
    static func prefillTokensPerSecond(_ model: StepTimeModel, chunkTokens: Int) -> Double {
        let prompt = 2048.0
        let chunk = Double(chunkTokens)
        let step = model.stepTime(.prefill(prompts: chunk / prompt, promptTokens: prompt))
        return step.total.seconds > 0 ? chunk / step.total.seconds : .infinity
    }
}
