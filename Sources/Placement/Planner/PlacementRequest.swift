import MoECore
import PerfModel
import Topology

/// What to plan a placement for: a model's measured expert loads, the instance's devices in a
/// cluster topology and their expert slots, the step the metrics describe, and optionally the
/// placement in service now with a budget on how many expert copies may move.
///
/// The engine and the simulator build one of these for an instance and hand it to
/// ``PlacementPlanner``; re-planning from newly observed loads is the same call with `previous` set.
public struct PlacementRequest: Sendable {
    /// The model served.
    public var model: ModelSpec
    /// The cluster the instance runs on.
    public var topology: ClusterTopology
    /// The cluster-wide index of the instance's first device; it uses `devices` consecutive devices.
    public var deviceOffset: Int
    /// Devices in the instance's expert-parallel group.
    public var devices: Int
    /// Physical expert slots per device, replicas included.
    public var slotsPerDevice: Int
    /// Routed-token counts per MoE layer and logical expert.
    public var loads: ExpertLoadMatrix
    /// Storage format of the weights (what a moved expert copies).
    public var weightFormat: NumericFormat
    /// The phase of the step the metrics describe: prefill runs DeepEP's normal kernels, decode its
    /// low-latency ones.
    public var phase: SteadyStateQuestion.Phase
    /// Tokens each device sends into one MoE layer in that step.
    public var tokensPerDevice: Double
    /// Memory a device may spend on weights, or nil for what ``MemoryBudget`` leaves (device memory
    /// less its activation reserve).
    public var weightMemoryLimit: Bytes?
    /// The placement in service now, or nil to plan from scratch.
    public var previous: ExpertPlacement?
    /// The most expert copies (slots, over all layers) a re-plan from `previous` may change, or nil
    /// for no limit (plan from scratch and count what moved).
    public var maximumMoves: Int?

    /// Tokens per device per MoE layer when none is given: a prefill micro-batch of DeepSeek's profile
    /// runs (16K tokens per GPU in two micro-batches) or a decode step of 128 sequences per GPU.
    public static func defaultTokensPerDevice(_ phase: SteadyStateQuestion.Phase) -> Double {
        phase == .prefill ? 8192 : 128
    }

    /// Creates a request. Slots per device are `slotsPerDevice` when given, else the fewest that hold
    /// the routed experts plus `redundantExperts` replicas (rounded up to whole devices).
    /// - Throws: ``PlacementError/slots(_:)`` when the slots cannot hold the experts and replicas,
    ///   ``PlacementError/invalidRequest(_:)`` for a dense model or no devices.
    public init(
        model: ModelSpec, topology: ClusterTopology, deviceOffset: Int = 0, devices: Int, redundantExperts: Int = 0,
        slotsPerDevice: Int? = nil, loads: ExpertLoadMatrix, weightFormat: NumericFormat? = nil,
        phase: SteadyStateQuestion.Phase = .decode, tokensPerDevice: Double? = nil, weightMemoryLimit: Bytes? = nil,
        previous: ExpertPlacement? = nil, maximumMoves: Int? = nil
    ) throws {
        guard let experts = model.moe?.routedExperts, experts > 0 else {
            throw PlacementError.invalidRequest("\(model.key) is a dense model: it has no routed experts to place")
        }
        guard devices > 0 else { throw PlacementError.invalidRequest("devices is \(devices), expected at least 1") }
        guard redundantExperts >= 0 else {
            throw PlacementError.slots("redundant experts is \(redundantExperts), expected 0 or more")
        }
        let needed = experts + redundantExperts
        let slots = slotsPerDevice ?? (needed + devices - 1) / devices
        guard slots > 0 else { throw PlacementError.slots("slots per device is \(slots), expected at least 1") }
        guard needed <= devices * slots else {
            throw PlacementError.slots(
                "\(experts) experts and \(redundantExperts) redundant replicas need \(needed) slots, but "
                    + "\(devices) devices x \(slots) slots hold \(devices * slots)")
        }
        self.model = model
        self.topology = topology
        self.deviceOffset = deviceOffset
        self.devices = devices
        self.slotsPerDevice = slots
        self.loads = loads
        self.weightFormat = weightFormat ?? model.nativeWeightFormat
        self.phase = phase
        self.tokensPerDevice = tokensPerDevice ?? Self.defaultTokensPerDevice(phase)
        self.weightMemoryLimit = weightMemoryLimit
        self.previous = previous
        self.maximumMoves = maximumMoves
    }

    /// Bytes one expert's weights take in the weight format: what moving one copy sends.
    public var expertBytes: Bytes {
        Bytes(Int64(model.parametersPerExpert * weightFormat.bytesPerElement))
    }
}
