import MoECore

/// A step-time evaluation with everything done but what depends on the decode sequences' contexts: the
/// prefill work and the number of decode sequences are fixed, their total context is still open.
///
/// ``StepTimeModel/stepTime(_:)`` is exactly `prepared(batch).stepTime(decodeContextTokens:)`, the same
/// operations in the same order, so a run of decode steps that differ only in context (each sequence one
/// token longer per step) is priced by preparing once and finishing per step, bit for bit as the steps
/// one by one and at a fraction of their cost: the GEMM, routing and communication terms stay prepared,
/// and a step recomputes only the attention kernel and the sums it enters.
public struct PreparedStep: Sendable {
    /// One class of MoE layers, with the terms that do not depend on the decode context.
    struct LayerClassTerms: Sendable {
        /// MoE layers in the class, MTP layers included.
        var layers: Double
        var routedSeconds: Double
        var dispatchSeconds: Double
        var combineSeconds: Double
        /// The routed experts' useful FLOPs and bytes (the busiest device's padding excluded).
        var usefulRouted: OperationCost
    }

    /// Whether the batch computes nothing (the step takes no time).
    let isEmpty: Bool
    let attention: AttentionCostModel
    /// Per attention rank and micro-batch: the share of the instance's tokens one rank runs.
    let perRank: Double
    let queryTokensPerSequence: Double
    /// Attention's projections and prefill kernel, per rank and micro-batch.
    let projections: OperationCost
    let prefillAttention: OperationCost
    let elementwiseMoE: OperationCost
    let elementwiseDense: OperationCost
    let denseFFN: OperationCost
    let head: OperationCost
    /// Shared experts and router of a MoE layer.
    let shared: OperationCost
    let layerClasses: [LayerClassTerms]
    /// Sums over the layer classes that do not depend on the context.
    let moeSeconds: Double, dispatchSeconds: Double, combineSeconds: Double
    let nicBytes: Double, scaleUpBytes: Double
    let microBatches: Double, smFraction: Double
    let layersRun: Double, moeLayersRun: Double, denseLayersRun: Double
    let peakFLOPS: Double, memoryBandwidth: Double, nicBandwidth: Double, scaleUpBandwidth: Double
    let tokensGenerated: Double

    /// The step when the decode sequences' contexts (tokens already in their KV cache) sum to
    /// `decodeContextTokens`. O(1): a handful of multiply-adds per class of MoE layers.
    public func stepTime(decodeContextTokens: Double) -> StepTime {
        guard !isEmpty else {
            let none = StepBreakdown(
                attention: .zero, moe: .zero, dense: .zero, dispatch: .zero, combine: .zero, other: .zero)
            return StepTime(
                total: .zero, breakdown: none, mfu: 0, hbmBandwidthUtilization: 0, linkUtilization: 0,
                tokensGenerated: 0)
        }
        let attentionCost =
            projections
            + attention.decode(
                contextTokens: decodeContextTokens * perRank, queryTokensPerSequence: queryTokensPerSequence)
            + prefillAttention
        var flops = OperationCost.zero
        var layerSeconds = 0.0
        for layerClass in layerClasses {
            let layer = StepTimeModel.moeLayerSeconds(
                beforeExperts: (attentionCost + shared + elementwiseMoE).seconds, experts: layerClass.routedSeconds,
                dispatch: layerClass.dispatchSeconds, combine: layerClass.combineSeconds, microBatches: microBatches,
                smFraction: smFraction)
            layerSeconds += layerClass.layers * layer
            flops +=
                (shared + layerClass.usefulRouted + attentionCost + elementwiseMoE)
                * (layerClass.layers * microBatches)
        }
        let denseLayerCost = attentionCost + denseFFN + elementwiseDense
        layerSeconds += denseLayersRun * microBatches * denseLayerCost.seconds
        flops += denseLayerCost * (denseLayersRun * microBatches) + head * microBatches
        let total = layerSeconds + microBatches * head.seconds

        let attentionSeconds = layersRun * microBatches * attentionCost.seconds
        let denseSeconds = denseLayersRun * microBatches * denseFFN.seconds
        let otherSeconds =
            microBatches
            * (moeLayersRun * elementwiseMoE.seconds + denseLayersRun * elementwiseDense.seconds + head.seconds)
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
            mfu: flops.flops / (stepSeconds * peakFLOPS),
            hbmBandwidthUtilization: flops.bytes / (stepSeconds * memoryBandwidth),
            linkUtilization: max(
                nicBytes / (stepSeconds * nicBandwidth), scaleUpBytes / (stepSeconds * scaleUpBandwidth)),
            tokensGenerated: tokensGenerated)
    }
}

extension StepTimeModel {
    /// `batch` evaluated but for its decode contexts (`batch.decodeContextTokens` is ignored): finish it
    /// with ``PreparedStep/stepTime(decodeContextTokens:)`` for any context. O(1).
    public func prepared(_ batch: BatchShape) -> PreparedStep {
        let s = shape
        let decodeQueries = batch.decodeSequences * s.queryTokensPerSequence
        let instanceTokens = batch.prefillTokens + decodeQueries
        // Per attention rank and micro-batch.
        let perRank = 1 / (s.attentionDP * s.microBatches)
        let tokens = instanceTokens * perRank
        let decodeTokens = decodeQueries * perRank
        let prefillTokens = batch.prefillTokens * perRank
        let projections = attentionProjections(tokens: tokens, decodeTokens: decodeTokens, prefillTokens: prefillTokens)
        let prefillAttention = attention.prefill(
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

        var layerClasses: [PreparedStep.LayerClassTerms] = []
        var shared = OperationCost.zero
        var moeSeconds = 0.0
        var dispatchSeconds = 0.0
        var combineSeconds = 0.0
        var nicBytes = 0.0
        var scaleUpBytes = 0.0
        let lowLatency = batch.prefillTokens == 0
        let smFraction = communication.smFraction(lowLatency: lowLatency)
        if s.moeLayersRun > 0 {
            shared =
                gemm.cost(rows: tokens, n: 2 * s.sharedIntermediate, k: s.hidden)
                + gemm.cost(rows: tokens, n: s.hidden, k: s.sharedIntermediate)
                + bf16GEMM.cost(rows: tokens, n: s.routedExperts, k: s.hidden)
            let groupTokens = instanceTokens * s.expertGroupFraction / s.microBatches
            let copies = groupTokens * s.expertsPerToken
            let meanCopies = copies / s.expertParallel
            let sendTokens = instanceTokens / (s.devices * s.microBatches)
            layerClasses.reserveCapacity(imbalance.classes.count)
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
                let layers = layerClass.layers * s.moeLayerScale
                moeSeconds += layers * s.microBatches * (shared + routed).seconds
                dispatchSeconds += layers * s.microBatches * dispatch.seconds
                combineSeconds += layers * s.microBatches * combine.seconds
                nicBytes += layers * s.microBatches * (dispatch.nicBytes + combine.nicBytes)
                scaleUpBytes += layers * s.microBatches * (dispatch.scaleUpBytes + combine.scaleUpBytes)
                let usefulRouted = OperationCost(
                    flops: maxCopies > 0 ? routed.flops * meanCopies / maxCopies : 0, bytes: routed.bytes)
                layerClasses.append(
                    PreparedStep.LayerClassTerms(
                        layers: layers, routedSeconds: routed.seconds, dispatchSeconds: dispatch.seconds,
                        combineSeconds: combine.seconds, usefulRouted: usefulRouted))
            }
        }
        return PreparedStep(
            isEmpty: instanceTokens <= 0, attention: attention, perRank: perRank,
            queryTokensPerSequence: s.queryTokensPerSequence, projections: projections,
            prefillAttention: prefillAttention, elementwiseMoE: elementwiseMoE, elementwiseDense: elementwiseDense,
            denseFFN: denseFFN, head: head, shared: shared, layerClasses: layerClasses, moeSeconds: moeSeconds,
            dispatchSeconds: dispatchSeconds, combineSeconds: combineSeconds, nicBytes: nicBytes,
            scaleUpBytes: scaleUpBytes, microBatches: s.microBatches, smFraction: smFraction, layersRun: s.layersRun,
            moeLayersRun: s.moeLayersRun, denseLayersRun: s.denseLayersRun, peakFLOPS: gemm.peakFLOPS,
            memoryBandwidth: gemm.memoryBandwidth, nicBandwidth: communication.nicBandwidth,
            scaleUpBandwidth: communication.scaleUpBandwidth,
            tokensGenerated: batch.decodeSequences * s.tokensPerDecodeStep)
    }
}
