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
    public func stepTime(_ batch: BatchShape) -> StepTime {
        let s = shape
        let decodeQueries = batch.decodeSequences * s.queryTokensPerSequence
        let instanceTokens = batch.prefillTokens + decodeQueries
        guard instanceTokens > 0 else {
            let none = StepBreakdown(
                attention: .zero, moe: .zero, dense: .zero, dispatch: .zero, combine: .zero, other: .zero)
            return StepTime(
                total: .zero, breakdown: none, mfu: 0, hbmBandwidthUtilization: 0, linkUtilization: 0,
                tokensGenerated: 0)
        }
        // Per attention rank and micro-batch.
        let perRank = 1 / (s.attentionDP * s.microBatches)
        let tokens = instanceTokens * perRank
        let decodeTokens = decodeQueries * perRank
        let prefillTokens = batch.prefillTokens * perRank
        let attentionCost =
            attentionProjections(tokens: tokens, decodeTokens: decodeTokens, prefillTokens: prefillTokens)
            + attention.decode(
                contextTokens: batch.decodeContextTokens * perRank, queryTokensPerSequence: s.queryTokensPerSequence)
            + attention.prefill(
                contextProduct: batch.prefillAttentionContextProduct * perRank, newTokens: prefillTokens)
        var attentionKernels = s.attentionKernels
        if decodeTokens > 0 { attentionKernels += s.decodeAttentionKernels }
        if prefillTokens > 0 { attentionKernels += s.prefillAttentionKernels }
        let elementwiseMoE = elementwise(
            tokens: tokens, bytesPerToken: s.elementwiseBytesPerMoELayerToken,
            kernels: attentionKernels + s.moeKernels)
        let elementwiseDense = elementwise(
            tokens: tokens, bytesPerToken: s.elementwiseBytesPerDenseLayerToken,
            kernels: attentionKernels + s.denseKernels)
        let denseFFN =
            gemm.cost(rows: tokens, n: 2 * s.denseIntermediate, k: s.hidden)
            + gemm.cost(rows: tokens, n: s.hidden, k: s.denseIntermediate)
        var head = bf16GEMM.cost(rows: decodeTokens, n: s.vocabularyPerDevice, k: s.hidden)
        if decodeTokens > 0 { head.seconds += s.headKernels * s.kernelFixedSeconds }

        var flops = OperationCost.zero
        var layerSeconds = 0.0
        var moeSeconds = 0.0
        var dispatchSeconds = 0.0
        var combineSeconds = 0.0
        var nicBytes = 0.0
        var scaleUpBytes = 0.0
        if s.moeLayersRun > 0 {
            let shared =
                gemm.cost(rows: tokens, n: 2 * s.sharedIntermediate, k: s.hidden)
                + gemm.cost(rows: tokens, n: s.hidden, k: s.sharedIntermediate)
                + bf16GEMM.cost(rows: tokens, n: s.routedExperts, k: s.hidden)
            let groupTokens = instanceTokens * s.expertGroupFraction / s.microBatches
            let copies = groupTokens * s.expertsPerToken
            let meanCopies = copies / s.expertParallel
            let sendTokens = instanceTokens / (s.devices * s.microBatches)
            let lowLatency = batch.prefillTokens == 0
            let smFraction = communication.smFraction(lowLatency: lowLatency)
            for layerClass in imbalance.classes {
                let maxCopies = imbalance.expectedMaximumCopies(
                    tokens: groupTokens, copies: copies, share: layerClass.maxDeviceShare)
                let rows = maxCopies / s.slots
                let routed =
                    gemm.cost(groups: s.slots, rows: rows, n: 2 * s.expertIntermediate, k: s.hidden)
                    + gemm.cost(groups: s.slots, rows: rows, n: s.hidden, k: s.expertIntermediate)
                let skew = meanCopies > 0 ? maxCopies / meanCopies : 1
                let dispatch = communication.dispatch(
                    tokens: sendTokens, receiveImbalance: skew, lowLatency: lowLatency)
                let combine = communication.combine(tokens: sendTokens, receiveImbalance: skew, lowLatency: lowLatency)
                let layer = Self.moeLayerSeconds(
                    beforeExperts: (attentionCost + shared + elementwiseMoE).seconds, experts: routed.seconds,
                    dispatch: dispatch.seconds, combine: combine.seconds, microBatches: s.microBatches,
                    smFraction: smFraction)
                let layers = layerClass.layers * s.moeLayerScale
                layerSeconds += layers * layer
                moeSeconds += layers * s.microBatches * (shared + routed).seconds
                dispatchSeconds += layers * s.microBatches * dispatch.seconds
                combineSeconds += layers * s.microBatches * combine.seconds
                nicBytes += layers * s.microBatches * (dispatch.nicBytes + combine.nicBytes)
                scaleUpBytes += layers * s.microBatches * (dispatch.scaleUpBytes + combine.scaleUpBytes)
                let usefulRouted = OperationCost(
                    flops: maxCopies > 0 ? routed.flops * meanCopies / maxCopies : 0, bytes: routed.bytes)
                flops += (shared + usefulRouted + attentionCost + elementwiseMoE) * (layers * s.microBatches)
            }
        }
        let denseLayerCost = attentionCost + denseFFN + elementwiseDense
        layerSeconds += s.denseLayersRun * s.microBatches * denseLayerCost.seconds
        flops += denseLayerCost * (s.denseLayersRun * s.microBatches) + head * s.microBatches
        let total = layerSeconds + s.microBatches * head.seconds

        let attentionSeconds = s.layersRun * s.microBatches * attentionCost.seconds
        let denseSeconds = s.denseLayersRun * s.microBatches * denseFFN.seconds
        let otherSeconds =
            s.microBatches
            * (s.moeLayersRun * elementwiseMoE.seconds + s.denseLayersRun * elementwiseDense.seconds + head.seconds)
        let computeSeconds = attentionSeconds + moeSeconds + denseSeconds + otherSeconds
        let exposed = max(total - computeSeconds, 0)
        let rawCommunication = dispatchSeconds + combineSeconds
        let exposedDispatch = rawCommunication > 0 ? exposed * dispatchSeconds / rawCommunication : 0
        let breakdown = StepBreakdown(
            attention: .seconds(attentionSeconds), moe: .seconds(moeSeconds), dense: .seconds(denseSeconds),
            dispatch: .seconds(exposedDispatch), combine: .seconds(exposed - exposedDispatch),
            other: .seconds(otherSeconds))
        let stepSeconds = breakdown.total.seconds
        return StepTime(
            total: breakdown.total, breakdown: breakdown,
            mfu: flops.flops / (stepSeconds * gemm.peakFLOPS),
            hbmBandwidthUtilization: flops.bytes / (stepSeconds * gemm.memoryBandwidth),
            linkUtilization: max(
                nicBytes / (stepSeconds * communication.nicBandwidth),
                scaleUpBytes / (stepSeconds * communication.scaleUpBandwidth)),
            tokensGenerated: batch.decodeSequences * s.tokensPerDecodeStep)
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
    private func attentionProjections(tokens: Double, decodeTokens: Double, prefillTokens: Double) -> OperationCost {
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
    private func elementwise(tokens: Double, bytesPerToken: Double, kernels: Double) -> OperationCost {
        let bytes = tokens * bytesPerToken
        return OperationCost(
            seconds: bytes / shape.elementwiseBandwidth + kernels * shape.kernelFixedSeconds, bytes: bytes)
    }
}
