/// The built-in models, with figures from each model's published `config.json`.
extension Catalog {
    /// DeepSeek-V3 (and R1, which shares its architecture): 671B total, 37B active per token.
    public static let deepSeekV3 = ModelSpec(
        key: "deepseek-v3", name: "DeepSeek-V3/R1", layers: 61, denseLayers: 3, hiddenSize: 7168,
        denseIntermediateSize: 18432, vocabularySize: 129_280,
        attention: .mla(
            MLASpec(heads: 128, qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128)
        ),
        moe: MoESpec(
            routedExperts: 256, expertsPerToken: 8, sharedExperts: 1, expertIntermediateSize: 2048,
            expertGroups: 8, groupsPerToken: 4),
        mtpLayers: 1, nativeWeightFormat: .fp8,
        publishedTotalParameters: 671e9, publishedActiveParameters: 37e9, contextLength: 163_840)

    /// DeepSeek-V2: 236B total, 21B active.
    public static let deepSeekV2 = ModelSpec(
        key: "deepseek-v2", name: "DeepSeek-V2", layers: 60, denseLayers: 1, hiddenSize: 5120,
        denseIntermediateSize: 12288, vocabularySize: 102_400,
        attention: .mla(
            MLASpec(heads: 128, qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128)
        ),
        moe: MoESpec(
            routedExperts: 160, expertsPerToken: 6, sharedExperts: 2, expertIntermediateSize: 1536,
            expertGroups: 8, groupsPerToken: 3),
        publishedTotalParameters: 236e9, publishedActiveParameters: 21e9, contextLength: 163_840)

    /// Qwen3-235B-A22B: 235B total, 22B active.
    public static let qwen3_235B = ModelSpec(
        key: "qwen3-235b-a22b", name: "Qwen3-235B-A22B", layers: 94, denseLayers: 0, hiddenSize: 4096,
        denseIntermediateSize: 12288, vocabularySize: 151_936,
        attention: .gqa(heads: 64, kvHeads: 4, headDim: 128),
        moe: MoESpec(routedExperts: 128, expertsPerToken: 8, sharedExperts: 0, expertIntermediateSize: 1536),
        publishedTotalParameters: 235e9, publishedActiveParameters: 22e9, contextLength: 40_960)

    /// Mixtral-8x7B: 46.7B total, 12.9B active.
    public static let mixtral8x7B = ModelSpec(
        key: "mixtral-8x7b", name: "Mixtral-8x7B", layers: 32, denseLayers: 0, hiddenSize: 4096,
        denseIntermediateSize: 14336, vocabularySize: 32000,
        attention: .gqa(heads: 32, kvHeads: 8, headDim: 128),
        moe: MoESpec(routedExperts: 8, expertsPerToken: 2, sharedExperts: 0, expertIntermediateSize: 14336),
        publishedTotalParameters: 46.7e9, publishedActiveParameters: 12.9e9, contextLength: 32_768)

    /// Llama-3.1-70B, a dense baseline.
    public static let llama31_70B = ModelSpec(
        key: "llama-3.1-70b", name: "Llama-3.1-70B", layers: 80, denseLayers: 80, hiddenSize: 8192,
        denseIntermediateSize: 28672, vocabularySize: 128_256,
        attention: .gqa(heads: 64, kvHeads: 8, headDim: 128), moe: nil,
        publishedTotalParameters: 70e9, publishedActiveParameters: 70e9, contextLength: 131_072)

    /// Llama-3.1-405B, the dense baseline the MoE deployments are compared with.
    public static let llama31_405B = ModelSpec(
        key: "llama-3.1-405b", name: "Llama-3.1-405B", layers: 126, denseLayers: 126, hiddenSize: 16384,
        denseIntermediateSize: 53248, vocabularySize: 128_256,
        attention: .gqa(heads: 128, kvHeads: 8, headDim: 128), moe: nil,
        publishedTotalParameters: 405e9, publishedActiveParameters: 405e9, contextLength: 131_072)

    /// Every built-in model.
    public static let builtinModels: [ModelSpec] = [
        deepSeekV3, deepSeekV2, qwen3_235B, mixtral8x7B, llama31_70B, llama31_405B,
    ]
}
