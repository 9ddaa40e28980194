import MoECore

/// Time of the attention kernels on one device: a roofline over the attention FLOPs (BF16) and the
/// KV-cache bytes, with the calibrated efficiencies of FlashMLA-class kernels.
public struct AttentionCostModel: Hashable, Sendable {
    /// The calibration constants.
    public let calibration: AttentionCalibration
    private let peakFLOPS: Double
    private let memoryBandwidth: Double
    /// Query heads per device.
    private let heads: Double
    /// Multiply-adds per (query, key) pair per head in decode: MLA's absorbed form works on the latent.
    private let decodeDotLength: Double
    /// Multiply-adds per (query, key) pair per head in prefill: MLA's expanded (MHA) form.
    private let prefillDotLength: Double
    /// KV-cache bytes per token per layer read by one device.
    private let kvBytesPerTokenLayer: Double
    private let isMLA: Bool
    /// Clock of the prefill kernel relative to its benchmark.
    private let prefillClock: Double

    /// A model for `model`'s attention on `device`, heads split `tensorParallel` ways, KV in `kvFormat`.
    /// Under `sustainedLoad` (a serving step rather than a kernel benchmark) the prefill kernel runs at the
    /// calibration's sustained clock.
    public init(
        model: ModelSpec, device: DeviceSpec, tensorParallel: Int, kvFormat: NumericFormat,
        calibration: AttentionCalibration, sustainedLoad: Bool = false
    ) {
        self.calibration = calibration
        prefillClock = sustainedLoad ? calibration.prefillSustainedClockFraction : 1
        peakFLOPS = (device.peak(for: .bf16) ?? ComputeRate(flopsPerSecond: 1)).flopsPerSecond
        memoryBandwidth = device.memoryBandwidth.bytesPerSecond
        let tp = Double(tensorParallel)
        switch model.attention {
        case .mla(let mla):
            isMLA = true
            heads = Double(mla.heads) / tp
            decodeDotLength = Double(2 * mla.kvLoraRank + mla.qkRopeHeadDim)
            prefillDotLength = Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim + mla.vHeadDim)
            kvBytesPerTokenLayer = Double(mla.kvLoraRank + mla.qkRopeHeadDim) * kvFormat.bytesPerElement
        case .gqa(let heads, let kv, let headDim):
            isMLA = false
            self.heads = Double(heads) / tp
            let kvHeadsPerDevice = Double(kv) / min(tp, Double(kv))
            decodeDotLength = Double(2 * headDim)
            prefillDotLength = Double(2 * headDim)
            kvBytesPerTokenLayer = 2 * kvHeadsPerDevice * Double(headDim) * kvFormat.bytesPerElement
        }
    }

    /// One layer of decode attention for query tokens of sequences whose contexts sum to
    /// `contextTokens`, with `queryTokensPerSequence` query tokens each (2 with one MTP layer).
    @inline(__always)
    public func decode(contextTokens: Double, queryTokensPerSequence: Double) -> OperationCost {
        guard contextTokens > 0 else { return .zero }
        let rows = heads * queryTokensPerSequence
        let flops = 2 * rows * contextTokens * decodeDotLength
        let paddedRows = isMLA ? max(rows, Double(calibration.minimumQueryRows)) : rows
        let computed = 2 * paddedRows * contextTokens * decodeDotLength
        let bytes = contextTokens * kvBytesPerTokenLayer
        let seconds =
            max(
                computed / (peakFLOPS * calibration.computeEfficiency),
                bytes / (memoryBandwidth * calibration.memoryEfficiency)) + calibration.launchSeconds
        return OperationCost(seconds: seconds, flops: flops, bytes: bytes)
    }

    /// One layer of prefill attention over `contextProduct` (query, key) pairs (see
    /// ``BatchShape/prefillAttentionContextProduct``) for `newTokens` new tokens. The kernel's efficiency
    /// is read at the chunks' mean sequence length, `2 x contextProduct / newTokens` (a whole prompt of `L`
    /// tokens gives `L`).
    @inline(__always)
    public func prefill(contextProduct: Double, newTokens: Double) -> OperationCost {
        guard contextProduct > 0, newTokens > 0 else { return .zero }
        let flops = 2 * heads * contextProduct * prefillDotLength
        let bytes = newTokens * kvBytesPerTokenLayer
        let efficiency = calibration.prefillEfficiency(sequenceTokens: 2 * contextProduct / newTokens) * prefillClock
        let seconds =
            max(
                flops / (peakFLOPS * efficiency),
                bytes / (memoryBandwidth * calibration.memoryEfficiency)) + calibration.launchSeconds
        return OperationCost(seconds: seconds, flops: flops, bytes: bytes)
    }
}
