/// Reading a model entry of a catalog file (snake_case keys, the names of the model's `config.json`).
extension ModelSpec {
    static let documentKeys = [
        "key", "extends", "name", "layers", "dense_layers", "hidden_size", "dense_intermediate_size", "vocab_size",
        "tied_embeddings", "attention", "moe", "mtp_layers", "weight_format", "published_total_params",
        "published_active_params", "max_position_embeddings",
    ]

    /// Decodes the entry `fields` with key `key`, taking absent fields from `base` (the entry it extends).
    init(key: String, fields: DocumentMapping, base: ModelSpec?) throws {
        let positive = { (node: DocumentNode) in try node.integer(.positive) }
        self.init(
            key: key,
            name: try fields.value("name", inheriting: base?.name ?? key) { try $0.nonEmptyString() },
            layers: try fields.value("layers", inheriting: base?.layers, positive),
            denseLayers: try fields.value("dense_layers", inheriting: base?.denseLayers) {
                try $0.integer(.nonNegative)
            },
            hiddenSize: try fields.value("hidden_size", inheriting: base?.hiddenSize, positive),
            denseIntermediateSize: try fields.value(
                "dense_intermediate_size", inheriting: base?.denseIntermediateSize ?? 0
            ) { try $0.integer(.nonNegative) },
            vocabularySize: try fields.value("vocab_size", inheriting: base?.vocabularySize, positive),
            tiedEmbeddings: try fields.value("tied_embeddings", inheriting: base?.tiedEmbeddings ?? false) {
                try $0.bool()
            },
            attention: try fields.value("attention", inheriting: base?.attention) { try AttentionSpec(document: $0) },
            moe: try fields.optional("moe").map { try MoESpec(document: $0) } ?? base?.moe,
            mtpLayers: try fields.value("mtp_layers", inheriting: base?.mtpLayers ?? 0) {
                try $0.integer(.nonNegative)
            },
            nativeWeightFormat: try fields.value("weight_format", inheriting: base?.nativeWeightFormat ?? .bf16) {
                try $0.oneOf(NumericFormat.self)
            },
            publishedTotalParameters: try fields.optional("published_total_params")?.number(.positive)
                ?? base?.publishedTotalParameters,
            publishedActiveParameters: try fields.optional("published_active_params")?.number(.positive)
                ?? base?.publishedActiveParameters,
            contextLength: try fields.optional("max_position_embeddings")?.integer(.positive) ?? base?.contextLength)
        if denseLayers > layers {
            throw try fields.required("dense_layers").mismatch(expected: "at most layers (\(layers))")
        }
        if moe == nil && denseLayers != layers {
            throw fields.owner.error("a model without a 'moe' section is dense: dense_layers must equal layers")
        }
    }
}

extension AttentionSpec {
    /// Decodes `{kind: mla, heads, q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim,
    /// v_head_dim}` or `{kind: gqa, heads, kv_heads, head_dim}`.
    init(document: DocumentNode) throws {
        let kind = try document.mapping(keys: ["kind"] + Self.mlaKeys + Self.gqaKeys).required("kind")
        switch try kind.string() {
        case "mla":
            let fields = try document.mapping(keys: ["kind"] + Self.mlaKeys)
            let value = { (key: String) in try fields.required(key).integer(.nonNegative) }
            self = .mla(
                MLASpec(
                    heads: try fields.required("heads").integer(.positive), qLoraRank: try value("q_lora_rank"),
                    kvLoraRank: try fields.required("kv_lora_rank").integer(.positive),
                    qkNopeHeadDim: try value("qk_nope_head_dim"), qkRopeHeadDim: try value("qk_rope_head_dim"),
                    vHeadDim: try fields.required("v_head_dim").integer(.positive)))
        case "gqa":
            let fields = try document.mapping(keys: ["kind", "heads"] + Self.gqaKeys)
            let heads = try fields.required("heads").integer(.positive)
            let kvHeads = try fields.required("kv_heads").integer(.positive)
            guard heads % kvHeads == 0 else {
                throw try fields.required("kv_heads").mismatch(expected: "a divisor of heads (\(heads))")
            }
            self = .gqa(heads: heads, kvHeads: kvHeads, headDim: try fields.required("head_dim").integer(.positive))
        default:
            throw kind.mismatch(expected: "one of mla, gqa")
        }
    }

    private static let mlaKeys = [
        "heads", "q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim",
    ]
    private static let gqaKeys = ["kv_heads", "head_dim"]
}

extension MoESpec {
    /// Decodes `{routed_experts, experts_per_token, shared_experts, expert_intermediate_size,
    /// expert_groups, groups_per_token}`; the last two default to 1 (no group-limited routing).
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: [
            "routed_experts", "experts_per_token", "shared_experts", "expert_intermediate_size", "expert_groups",
            "groups_per_token",
        ])
        let routed = try fields.required("routed_experts").integer(.positive)
        let groups = try fields.optional("expert_groups")?.integer(.positive) ?? 1
        guard routed % groups == 0 else {
            throw try fields.required("expert_groups").mismatch(expected: "a divisor of routed_experts (\(routed))")
        }
        self.init(
            routedExperts: routed,
            expertsPerToken: try fields.required("experts_per_token").integer(.range(1...routed)),
            sharedExperts: try fields.optional("shared_experts")?.integer(.nonNegative) ?? 0,
            expertIntermediateSize: try fields.required("expert_intermediate_size").integer(.positive),
            expertGroups: groups,
            groupsPerToken: try fields.optional("groups_per_token")?.integer(.range(1...groups)) ?? 1)
    }
}
