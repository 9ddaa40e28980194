import MoECore

/// The matrix shapes and counts of one instance's layers, as doubles ready for the step loop.
struct LayerShapes: Sendable {
    let hidden: Double
    let denseIntermediate: Double
    let sharedIntermediate: Double
    let expertIntermediate: Double
    let routedExperts: Double
    let expertsPerToken: Double
    let vocabularyPerDevice: Double
    /// N of the first attention projection: MLA's fused query/latent down-projection, or GQA's fused QKV.
    let attentionDownN: Double
    /// N and K of MLA's query up-projection (0 when absent).
    let queryUpN: Double, queryUpK: Double
    /// MLA's latent rank, per-head no-rope key and value dimensions (0 for GQA).
    let latentRank: Double, keyNope: Double, valueDim: Double
    /// N of MLA's latent up-projection that prefill's expanded form needs (0 for GQA).
    let latentUpN: Double
    /// K of the output projection.
    let outputK: Double
    let headsPerDevice: Double
    let attentionDP: Double
    let devices: Double
    let expertParallel: Double
    /// Share of the instance's tokens one expert-parallel group routes.
    let expertGroupFraction: Double
    let slots: Double
    let microBatches: Double
    let queryTokensPerSequence: Double
    let tokensPerDecodeStep: Double
    /// Layers run per step, MTP layers included, and how they split.
    let layersRun: Double, moeLayersRun: Double, denseLayersRun: Double
    /// MoE layers run over MoE layers in the model (MTP layers are MoE layers).
    let moeLayerScale: Double
    /// HBM bytes per token per layer of norms, residuals, activations, quantization and permutes.
    let elementwiseBytesPerMoELayerToken: Double
    let elementwiseBytesPerDenseLayerToken: Double
    /// Bytes per second element-wise kernels reach.
    let elementwiseBandwidth: Double
    /// Kernels of an attention block run by every batch (common projections and three element-wise
    /// kernels: norms, rotary embedding and cache write), plus those only decode or prefill tokens run.
    let attentionKernels: Double, decodeAttentionKernels: Double, prefillAttentionKernels: Double
    /// Kernels of a MoE block besides attention (router, top-k, shared and routed GEMMs, two
    /// activations, norm and residual add), of a dense block, and of the output head and sampling.
    let moeKernels: Double, denseKernels: Double, headKernels: Double
    /// Fixed cost per kernel.
    let kernelFixedSeconds: Double

    init(configuration c: InstanceConfiguration, calibration: KernelCalibration) {
        let model = c.model
        let tp = Double(c.attentionTP)
        hidden = Double(model.hiddenSize)
        denseIntermediate = Double(model.denseIntermediateSize) / tp
        let moe = model.moe
        expertIntermediate = Double(moe?.expertIntermediateSize ?? 0)
        sharedIntermediate = Double((moe?.sharedExperts ?? 0) * (moe?.expertIntermediateSize ?? 0))
        routedExperts = Double(moe?.routedExperts ?? 0)
        expertsPerToken = Double(moe?.expertsPerToken ?? 0)
        vocabularyPerDevice = Double(model.vocabularySize) / tp
        switch model.attention {
        case .mla(let mla):
            let heads = Double(mla.heads) / tp
            let queryHeadDim = Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim)
            let latent = Double(mla.kvLoraRank + mla.qkRopeHeadDim)
            attentionDownN = (mla.qLoraRank > 0 ? Double(mla.qLoraRank) : heads * queryHeadDim) + latent
            queryUpN = mla.qLoraRank > 0 ? heads * queryHeadDim : 0
            queryUpK = Double(mla.qLoraRank)
            latentRank = Double(mla.kvLoraRank)
            keyNope = Double(mla.qkNopeHeadDim)
            valueDim = Double(mla.vHeadDim)
            latentUpN = heads * Double(mla.qkNopeHeadDim + mla.vHeadDim)
            outputK = heads * Double(mla.vHeadDim)
            headsPerDevice = heads
            attentionKernels = (mla.qLoraRank > 0 ? 3 : 2) + 3
            decodeAttentionKernels = 3
            prefillAttentionKernels = 2
        case .gqa(let heads, let kvHeads, let headDim):
            let kvPerDevice = Double(kvHeads) / min(tp, Double(kvHeads))
            attentionDownN = (Double(heads) / tp + 2 * kvPerDevice) * Double(headDim)
            queryUpN = 0
            queryUpK = 0
            latentRank = 0
            keyNope = 0
            valueDim = 0
            latentUpN = 0
            outputK = Double(heads) / tp * Double(headDim)
            headsPerDevice = Double(heads) / tp
            attentionKernels = 2 + 3
            decodeAttentionKernels = 1
            prefillAttentionKernels = 1
        }
        attentionDP = Double(c.attentionDP)
        devices = Double(c.devices)
        expertParallel = Double(max(c.expertParallel, 1))
        expertGroupFraction = expertParallel / devices
        slots = Double(max(c.slotsPerDevice, 1))
        microBatches = Double(c.microBatches)
        queryTokensPerSequence = Double(c.queryTokensPerDecodeSequence)
        tokensPerDecodeStep = c.expectedTokensPerDecodeStep
        let extra = Double(c.mtpAcceptance == nil ? 0 : model.mtpLayers)
        moeLayersRun = model.moe == nil ? 0 : Double(model.moeLayers) + extra
        denseLayersRun = Double(model.denseLayers) + (model.moe == nil ? extra : 0)
        layersRun = moeLayersRun + denseLayersRun
        moeLayerScale = model.moeLayers > 0 ? moeLayersRun / Double(model.moeLayers) : 0
        // Two RMSNorms (read BF16, write 8-bit), two residual adds, the permute into the expert
        // layout and the weighted sum of the k expert outputs, and SwiGLU over each expert's
        // intermediate (read 2 x I BF16, write I 8-bit). An estimate from the kernel inventory.
        let h = hidden
        elementwiseBytesPerMoELayerToken =
            22 * h + 2 * expertsPerToken * h + (expertsPerToken + Double(moe?.sharedExperts ?? 0)) * 5
            * expertIntermediate
        elementwiseBytesPerDenseLayerToken = 18 * h + 5 * denseIntermediate
        elementwiseBandwidth = c.device.memoryBandwidth.bytesPerSecond * calibration.elementwiseMemoryEfficiency
        moeKernels = (moe?.sharedExperts ?? 0) > 0 ? 10 : 8
        denseKernels = 5
        headKernels = 2
        kernelFixedSeconds = calibration.kernelFixedSeconds
    }
}
