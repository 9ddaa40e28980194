/// The architecture of a transformer language model, dense or mixture-of-experts, as far as serving
/// cost depends on it. Figures are those of the model's published `config.json`.
public struct ModelSpec: Hashable, Sendable {
    /// Catalog key, such as `deepseek-v3`.
    public var key: String
    /// Display name, such as `DeepSeek-V3`.
    public var name: String
    /// Transformer layers (excluding multi-token-prediction layers).
    public var layers: Int
    /// Leading layers whose feed-forward block is dense rather than a mixture of experts.
    /// Equal to `layers` for a dense model.
    public var denseLayers: Int
    /// Width of the residual stream.
    public var hiddenSize: Int
    /// Intermediate size of the dense feed-forward blocks (SwiGLU: three matrices).
    public var denseIntermediateSize: Int
    /// Vocabulary size (embedding and output head).
    public var vocabularySize: Int
    /// Whether the output head shares the embedding matrix.
    public var tiedEmbeddings: Bool
    /// The attention block.
    public var attention: AttentionSpec
    /// The mixture-of-experts block, or nil for a dense model.
    public var moe: MoESpec?
    /// Multi-token-prediction layers (DeepSeek-V3 has one), not counted in the published totals.
    public var mtpLayers: Int
    /// Number format the weights ship in.
    public var nativeWeightFormat: NumericFormat
    /// Published total parameters, for checking the derived count (nil when unknown).
    public var publishedTotalParameters: Double?
    /// Published parameters active per token, for checking the derived count (nil when unknown).
    public var publishedActiveParameters: Double?
    /// Longest sequence (prompt plus output tokens) the model handles, its `max_position_embeddings` (nil when
    /// unknown); a server refuses requests that would run past it.
    public var contextLength: Int?

    /// Creates a model description; see the properties for the meaning of each figure.
    public init(
        key: String, name: String, layers: Int, denseLayers: Int, hiddenSize: Int, denseIntermediateSize: Int,
        vocabularySize: Int, tiedEmbeddings: Bool = false, attention: AttentionSpec, moe: MoESpec?,
        mtpLayers: Int = 0, nativeWeightFormat: NumericFormat = .bf16,
        publishedTotalParameters: Double? = nil, publishedActiveParameters: Double? = nil, contextLength: Int? = nil
    ) {
        self.key = key
        self.name = name
        self.layers = layers
        self.denseLayers = denseLayers
        self.hiddenSize = hiddenSize
        self.denseIntermediateSize = denseIntermediateSize
        self.vocabularySize = vocabularySize
        self.tiedEmbeddings = tiedEmbeddings
        self.attention = attention
        self.moe = moe
        self.mtpLayers = mtpLayers
        self.nativeWeightFormat = nativeWeightFormat
        self.publishedTotalParameters = publishedTotalParameters
        self.publishedActiveParameters = publishedActiveParameters
        self.contextLength = contextLength
    }

    /// Layers whose feed-forward block is a mixture of experts.
    public var moeLayers: Int { moe == nil ? 0 : layers - denseLayers }
}

/// The attention block of one layer.
public enum AttentionSpec: Hashable, Sendable {
    /// Multi-head latent attention (DeepSeek-V2/V3): keys and values are cached as one compressed
    /// latent of `kvLoraRank` plus a shared rotary key of `qkRopeHeadDim` per token.
    case mla(MLASpec)
    /// Grouped-query attention; multi-head attention is the case `kvHeads == heads`.
    case gqa(heads: Int, kvHeads: Int, headDim: Int)

    /// Query heads.
    public var heads: Int {
        switch self {
        case .mla(let spec): spec.heads
        case .gqa(let heads, _, _): heads
        }
    }

    /// A short name of the attention kind: `MLA`, `GQA` or `MHA`.
    public var kindName: String {
        switch self {
        case .mla: "MLA"
        case .gqa(let heads, let kvHeads, _): heads == kvHeads ? "MHA" : "GQA"
        }
    }
}

/// Dimensions of multi-head latent attention.
public struct MLASpec: Hashable, Sendable {
    public var heads: Int
    /// Rank of the query compression (0 when queries are not compressed).
    public var qLoraRank: Int
    /// Rank of the key-value latent that is cached.
    public var kvLoraRank: Int
    /// Per-head query/key dimension without rotary embedding.
    public var qkNopeHeadDim: Int
    /// Rotary dimension, shared across heads for keys.
    public var qkRopeHeadDim: Int
    /// Per-head value dimension.
    public var vHeadDim: Int

    public init(heads: Int, qLoraRank: Int, kvLoraRank: Int, qkNopeHeadDim: Int, qkRopeHeadDim: Int, vHeadDim: Int) {
        self.heads = heads
        self.qLoraRank = qLoraRank
        self.kvLoraRank = kvLoraRank
        self.qkNopeHeadDim = qkNopeHeadDim
        self.qkRopeHeadDim = qkRopeHeadDim
        self.vHeadDim = vHeadDim
    }
}

/// The routed mixture-of-experts block of one MoE layer.
public struct MoESpec: Hashable, Sendable {
    /// Routed experts per layer.
    public var routedExperts: Int
    /// Routed experts each token activates (top-k).
    public var expertsPerToken: Int
    /// Shared experts every token passes through.
    public var sharedExperts: Int
    /// Intermediate size of one expert (SwiGLU: three matrices).
    public var expertIntermediateSize: Int
    /// Expert groups for group-limited routing (1 when routing is not group-limited).
    public var expertGroups: Int
    /// Groups a token may route into; with one group per node this bounds the nodes a token reaches.
    public var groupsPerToken: Int

    public init(
        routedExperts: Int, expertsPerToken: Int, sharedExperts: Int, expertIntermediateSize: Int,
        expertGroups: Int = 1, groupsPerToken: Int = 1
    ) {
        self.routedExperts = routedExperts
        self.expertsPerToken = expertsPerToken
        self.sharedExperts = sharedExperts
        self.expertIntermediateSize = expertIntermediateSize
        self.expertGroups = expertGroups
        self.groupsPerToken = groupsPerToken
    }
}
