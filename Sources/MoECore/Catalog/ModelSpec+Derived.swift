/// Figures derived from a model's architecture: parameter counts, KV-cache size and FLOPs per token.
///
/// Norm and bias vectors are counted too, so the totals can be checked against published ones.
extension ModelSpec {
    /// Parameters of one attention block (projections and norms).
    public var attentionParametersPerLayer: Double {
        let hidden = Double(hiddenSize)
        switch attention {
        case .mla(let mla):
            let heads = Double(mla.heads)
            let qkHeadDim = Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim)
            let query: Double =
                mla.qLoraRank > 0
                ? hidden * Double(mla.qLoraRank) + Double(mla.qLoraRank) + Double(mla.qLoraRank) * heads * qkHeadDim
                : hidden * heads * qkHeadDim
            let latentDown = hidden * Double(mla.kvLoraRank + mla.qkRopeHeadDim) + Double(mla.kvLoraRank)
            let latentUp = Double(mla.kvLoraRank) * heads * Double(mla.qkNopeHeadDim + mla.vHeadDim)
            let output = heads * Double(mla.vHeadDim) * hidden
            return query + latentDown + latentUp + output
        case .gqa(let heads, let kvHeads, let headDim):
            let queryAndOutput = 2 * hidden * Double(heads * headDim)
            let keyAndValue = 2 * hidden * Double(kvHeads * headDim)
            return queryAndOutput + keyAndValue
        }
    }

    /// Parameters of one expert (gate, up and down projections).
    public var parametersPerExpert: Double {
        guard let moe else { return 0 }
        return 3 * Double(hiddenSize) * Double(moe.expertIntermediateSize)
    }

    /// Parameters of one dense feed-forward block.
    public var denseFeedForwardParametersPerLayer: Double {
        3 * Double(hiddenSize) * Double(denseIntermediateSize)
    }

    /// Parameters of one MoE layer's router.
    public var routerParametersPerLayer: Double {
        guard let moe else { return 0 }
        return Double(moe.routedExperts) * Double(hiddenSize)
    }

    /// Embedding plus output head parameters.
    public var embeddingParameters: Double {
        Double(vocabularySize) * Double(hiddenSize) * (tiedEmbeddings ? 1 : 2)
    }

    /// Parameters of the routed experts across all MoE layers: the part expert parallelism shards.
    public var routedExpertParameters: Double {
        guard let moe else { return 0 }
        return Double(moeLayers) * Double(moe.routedExperts) * parametersPerExpert
    }

    /// Parameters every device of an instance needs whatever the expert sharding: attention, dense
    /// and shared-expert blocks, routers, norms and embeddings.
    public var nonExpertParameters: Double { totalParameters - routedExpertParameters }

    /// All parameters, without multi-token-prediction layers.
    public var totalParameters: Double {
        let norms = Double(2 * layers + 1) * Double(hiddenSize)
        var total = Double(layers) * attentionParametersPerLayer + embeddingParameters + norms
        total += Double(denseLayers) * denseFeedForwardParametersPerLayer
        if let moe {
            total += Double(moeLayers) * (Double(moe.routedExperts + moe.sharedExperts) * parametersPerExpert)
            total += Double(moeLayers) * routerParametersPerLayer
        }
        return total
    }

    /// Parameters one token passes through: all but the routed experts it is not sent to.
    public var activeParameters: Double {
        guard let moe else { return totalParameters }
        let inactive = Double(moeLayers) * Double(moe.routedExperts - moe.expertsPerToken) * parametersPerExpert
        return totalParameters - inactive
    }

    /// KV-cache elements stored per token per layer: the MLA latent plus rotary key, or K and V heads.
    public var kvElementsPerTokenPerLayer: Int {
        switch attention {
        case .mla(let mla): mla.kvLoraRank + mla.qkRopeHeadDim
        case .gqa(_, let kvHeads, let headDim): 2 * kvHeads * headDim
        }
    }

    /// KV-cache bytes per token across all layers in `format` (DeepSeek-V3 in BF16: 61 x 576 x 2 = 70,272).
    public func kvBytesPerToken(format: NumericFormat = .bf16) -> Bytes {
        Bytes(Int64((Double(layers * kvElementsPerTokenPerLayer) * format.bytesPerElement).rounded()))
    }

    /// Bytes of all weights stored in `format`.
    public func weightBytes(format: NumericFormat) -> Bytes {
        Bytes(Int64(totalParameters * format.bytesPerElement))
    }

    /// Matrix-multiply FLOPs per token through the weights (2 per active weight, embedding lookup excluded).
    public var weightFLOPsPerToken: FLOPs {
        FLOPs(2 * (activeParameters - Double(vocabularySize * hiddenSize) * (tiedEmbeddings ? 0 : 1)))
    }

    /// Attention-score FLOPs for one token attending to `context` earlier tokens, across all layers
    /// (QK^T and PV; for MLA in the absorbed form that decode uses, over the cached latent).
    public func attentionFLOPsPerToken(context: Int) -> FLOPs {
        let perLayer: Double
        switch attention {
        case .mla(let mla):
            perLayer = 2 * Double(mla.heads) * Double(context) * Double(2 * mla.kvLoraRank + mla.qkRopeHeadDim)
        case .gqa(let heads, _, let headDim):
            perLayer = 2 * Double(heads) * Double(context) * Double(2 * headDim)
        }
        return FLOPs(perLayer * Double(layers))
    }

    /// Total FLOPs to produce one token at position `context`: weights plus attention.
    public func flopsPerToken(context: Int) -> FLOPs {
        weightFLOPsPerToken + attentionFLOPsPerToken(context: context)
    }
}
