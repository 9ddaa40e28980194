import MoECore
import Topology

/// The step-time model of one instance: how long a batch takes and where the time goes.
///
/// Everything that does not depend on the batch (shapes, per-layer imbalance classes, the
/// expected-maximum factor of random routing, the memory budget, the topology's routes) is computed
/// once here; ``stepTime(_:)`` then costs O(1) whatever the batch size.
public struct StepTimeModel: Sendable {
    /// The instance.
    public let configuration: InstanceConfiguration
    /// The kernel efficiencies used.
    public let calibration: KernelCalibration
    /// How the instance's memory divides.
    public let memory: MemoryBudget
    /// How unevenly MoE layers load the devices.
    public let imbalance: ExpertImbalance
    /// The expert-parallel communication model.
    public let communication: CommunicationCostModel
    /// GEMMs in the weight format.
    public let gemm: GEMMCostModel
    /// GEMMs kept in BF16 (output head, router).
    public let bf16GEMM: GEMMCostModel
    /// The attention kernels.
    public let attention: AttentionCostModel
    let shape: LayerShapes

    /// Builds the model of `configuration` with `calibration` (by default the one for its device).
    /// - Throws: ``PerfModelError`` when the configuration is inconsistent or its weights do not fit.
    public init(_ configuration: InstanceConfiguration, calibration: KernelCalibration? = nil) throws {
        try configuration.validate()
        let calibration = calibration ?? .forDevice(configuration.device)
        let model = configuration.model
        self.configuration = configuration
        self.calibration = calibration
        memory = try MemoryBudget(configuration: configuration)
        imbalance = ExpertImbalance(
            moeLayers: model.moeLayers, experts: model.moe?.routedExperts ?? 0,
            expertsPerToken: model.moe?.expertsPerToken ?? 0, devices: configuration.expertParallel,
            slotsPerDevice: configuration.slotsPerDevice, load: configuration.expertLoad,
            placement: configuration.placement)
        communication = CommunicationCostModel(configuration: configuration, calibration: calibration.communication)
        gemm = GEMMCostModel(
            device: configuration.device, format: configuration.weightFormat, calibration: calibration.gemm,
            sustainedLoad: true)
        bf16GEMM = GEMMCostModel(
            device: configuration.device, format: .bf16, calibration: calibration.gemm, sustainedLoad: true)
        attention = AttentionCostModel(
            model: model, device: configuration.device, tensorParallel: configuration.attentionTP,
            kvFormat: configuration.kvFormat, calibration: calibration.attention, sustainedLoad: true)
        shape = LayerShapes(configuration: configuration, calibration: calibration)
    }

    /// The time of one step running `batch` on the instance.
    ///
    /// Evaluated as ``prepared(_:)`` then ``PreparedStep/stepTime(decodeContextTokens:)``, so that pricing
    /// a run of decode steps that differ only in their context is the same arithmetic, done once per run
    /// for what does not change.
    public func stepTime(_ batch: BatchShape) -> StepTime {
        prepared(batch).stepTime(decodeContextTokens: batch.decodeContextTokens)
    }

    /// One MoE layer's time from its per-micro-batch parts. With one micro-batch everything runs in
    /// series. With two, the layer runs as the four paired phases of DeepSeek's and SGLang's two-batch
    /// overlap: one micro-batch's attention with the other's dispatch, experts with dispatch, experts
    /// with combine, and (next layer) attention with combine; a phase lasts as long as its slower
    /// side, and compute slows by the multiprocessors the communication kernels occupy.
    @inline(__always)
    static func moeLayerSeconds(
        beforeExperts: Double, experts: Double, dispatch: Double, combine: Double, microBatches: Double,
        smFraction: Double
    ) -> Double {
        if microBatches == 1 { return beforeExperts + experts + dispatch + combine }
        @inline(__always) func phase(_ compute: Double, _ communication: Double) -> Double {
            max(compute + communication * smFraction, communication)
        }
        return phase(beforeExperts, dispatch) + phase(experts, dispatch) + phase(experts, combine)
            + phase(beforeExperts, combine)
    }

    @inline(__always)
    func attentionProjections(tokens: Double, decodeTokens: Double, prefillTokens: Double) -> OperationCost {
        let s = shape
        var cost = gemm.cost(rows: tokens, n: s.attentionDownN, k: s.hidden)
        cost += gemm.cost(rows: tokens, n: s.queryUpN, k: s.queryUpK)
        cost += gemm.cost(groups: s.headsPerDevice, rows: decodeTokens, n: s.latentRank, k: s.keyNope, batched: true)
        cost += gemm.cost(groups: s.headsPerDevice, rows: decodeTokens, n: s.valueDim, k: s.latentRank, batched: true)
        cost += gemm.cost(rows: prefillTokens, n: s.latentUpN, k: s.latentRank)
        cost += gemm.cost(rows: tokens, n: s.hidden, k: s.outputK)
        return cost
    }

    /// Element-wise traffic of one layer plus the fixed cost of all of the layer's `kernels`.
    @inline(__always)
    func elementwise(tokens: Double, bytesPerToken: Double, kernels: Double) -> OperationCost {
        let bytes = tokens * bytesPerToken
        return OperationCost(
            seconds: bytes / shape.elementwiseBandwidth + kernels * shape.kernelFixedSeconds, bytes: bytes)
    }
}
