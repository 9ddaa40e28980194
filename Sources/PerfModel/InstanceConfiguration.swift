import MoECore
import Topology

/// One serving instance as the step-time model sees it: a model sharded over `devices` devices of a
/// cluster topology with data- and tensor-parallel attention and expert-parallel MoE layers.
public struct InstanceConfiguration: Sendable {
    /// The model served.
    public var model: ModelSpec
    /// The accelerator every device is.
    public var device: DeviceSpec
    /// The cluster the instance runs on.
    public var topology: ClusterTopology
    /// Index of the instance's first device in `topology`; it uses `devices` consecutive devices.
    public var deviceOffset: Int
    /// Devices in the instance.
    public var devices: Int
    /// Attention data-parallel ranks (each holds its own sequences and KV cache).
    public var attentionDP: Int
    /// Attention tensor-parallel degree within a data-parallel rank.
    public var attentionTP: Int
    /// Devices in the expert-parallel group.
    public var expertParallel: Int
    /// Physical expert slots per device, redundant replicas included.
    public var slotsPerDevice: Int
    /// Storage format of the weights (and of the GEMM inputs: FP8/INT8 weights run FP8/INT8 GEMMs).
    public var weightFormat: NumericFormat
    /// Storage format of the KV cache.
    public var kvFormat: NumericFormat
    /// Format of the tokens sent to the experts.
    public var dispatchFormat: NumericFormat
    /// Format of the expert outputs sent back.
    public var combineFormat: NumericFormat
    /// Micro-batches per step: 1, or 2 to overlap one's communication with the other's compute.
    public var microBatches: Int
    /// Acceptance rate of the multi-token-prediction draft tokens, or nil when MTP is off.
    public var mtpAcceptance: Double?
    /// Measured per-layer expert loads, or nil for absolutely balanced routing.
    public var expertLoad: ExpertLoadMatrix?
    /// Expert placement, or nil for the contiguous one (used only together with `expertLoad`).
    public var placement: ExpertPlacement?

    /// Creates a configuration; `redundantExperts` extra slots are spread over the expert-parallel
    /// group (slots per device = ceil((routed experts + redundant) / expert-parallel degree)).
    public init(
        model: ModelSpec, topology: ClusterTopology, deviceOffset: Int = 0, devices: Int,
        attentionDP: Int? = nil, attentionTP: Int = 1, expertParallel: Int? = nil, redundantExperts: Int = 0,
        weightFormat: NumericFormat? = nil, kvFormat: NumericFormat = .bf16, dispatchFormat: NumericFormat = .fp8,
        combineFormat: NumericFormat = .bf16, microBatches: Int = 1, mtpAcceptance: Double? = nil,
        expertLoad: ExpertLoadMatrix? = nil, placement: ExpertPlacement? = nil
    ) {
        let expertParallel = expertParallel ?? devices
        let routed = model.moe?.routedExperts ?? 0
        let slots = expertParallel > 0 ? (routed + redundantExperts + expertParallel - 1) / expertParallel : 0
        self.model = model
        self.device = topology.device
        self.topology = topology
        self.deviceOffset = deviceOffset
        self.devices = devices
        self.attentionTP = attentionTP
        self.attentionDP = attentionDP ?? max(devices / max(attentionTP, 1), 1)
        self.expertParallel = expertParallel
        self.slotsPerDevice = placement?.slotsPerDevice ?? slots
        self.weightFormat = weightFormat ?? model.nativeWeightFormat
        self.kvFormat = kvFormat
        self.dispatchFormat = dispatchFormat
        self.combineFormat = combineFormat
        self.microBatches = microBatches
        self.mtpAcceptance = mtpAcceptance
        self.expertLoad = expertLoad
        self.placement = placement
    }

    /// Query tokens each decode sequence runs per step: one, plus one per MTP draft layer when MTP is on.
    public var queryTokensPerDecodeSequence: Int { mtpAcceptance == nil ? 1 : 1 + model.mtpLayers }

    /// Expected tokens a decode sequence gains per step: 1 + a + a² + ... over the MTP layers.
    public var expectedTokensPerDecodeStep: Double {
        guard let acceptance = mtpAcceptance else { return 1 }
        var total = 1.0
        var chain = 1.0
        for _ in 0..<model.mtpLayers {
            chain *= acceptance
            total += chain
        }
        return total
    }

    /// Checks that the fields agree with each other, the model and the topology.
    /// - Throws: ``PerfModelError/invalidConfiguration(_:)`` or ``PerfModelError/invalidExpertLoad(_:)``
    ///   naming the field and what was expected.
    public func validate() throws {
        func fail(_ message: String) -> PerfModelError { .invalidConfiguration(message) }
        guard devices > 0 else { throw fail("devices is \(devices), expected at least 1") }
        guard deviceOffset >= 0, deviceOffset + devices <= topology.deviceCount else {
            throw fail(
                "devices \(deviceOffset)..<\(deviceOffset + devices) do not fit the topology's "
                    + "\(topology.deviceCount) devices")
        }
        guard attentionTP > 0, attentionDP > 0, attentionDP * attentionTP == devices else {
            throw fail("attentionDP (\(attentionDP)) x attentionTP (\(attentionTP)) must equal devices (\(devices))")
        }
        guard model.attention.heads % attentionTP == 0 else {
            throw fail("attentionTP \(attentionTP) does not divide the model's \(model.attention.heads) heads")
        }
        guard microBatches == 1 || microBatches == 2 else {
            throw fail("microBatches is \(microBatches), expected 1 or 2")
        }
        if let acceptance = mtpAcceptance {
            guard model.mtpLayers > 0 else { throw fail("mtpAcceptance is set but \(model.key) has no MTP layers") }
            guard acceptance >= 0, acceptance <= 1 else {
                throw fail("mtpAcceptance is \(acceptance), expected a rate in 0...1")
            }
        }
        guard let moe = model.moe else { return }
        guard expertParallel > 0, expertParallel <= devices, devices % expertParallel == 0 else {
            throw fail("expertParallel \(expertParallel) must divide devices (\(devices))")
        }
        guard slotsPerDevice * expertParallel >= moe.routedExperts else {
            throw fail(
                "\(slotsPerDevice) slots on \(expertParallel) devices cannot hold \(moe.routedExperts) experts")
        }
        if let load = expertLoad {
            guard load.layers == model.moeLayers, load.experts == moe.routedExperts else {
                throw PerfModelError.invalidExpertLoad(
                    "matrix is \(load.layers) x \(load.experts), expected \(model.moeLayers) MoE layers x "
                        + "\(moe.routedExperts) experts for \(model.key)")
            }
        }
        if let placement {
            guard placement.devices == expertParallel, placement.experts == moe.routedExperts,
                placement.layers == model.moeLayers
            else {
                throw fail(
                    "placement covers \(placement.devices) devices, \(placement.experts) experts and "
                        + "\(placement.layers) layers; expected \(expertParallel), \(moe.routedExperts) and "
                        + "\(model.moeLayers)")
            }
        }
    }
}
