/// Decoding one `deployment.instances` entry and checking its layout against the model and hardware.
extension InstanceGroupSpec {
    static let documentKeys = [
        "role", "count", "devices_per_instance", "attention_dp", "attention_tp", "ep", "redundant_experts", "weights",
        "kv_cache", "micro_batches", "mtp_acceptance", "pool", "host_kv_cache", "autoscale",
    ]

    /// Decodes an entry. Defaults: the cluster's own hosts (pool 0), `attention_tp` 1, `attention_dp` the
    /// rest of the devices, `ep` all devices of the instance (1 for a dense model), no redundant experts, the
    /// model's native weight format, a BF16 KV cache, one micro-batch, MTP off, no host KV tier, no
    /// autoscaling. Whether the weights fit in memory is the step-time model's memory budget to say (the
    /// Deployment module checks it).
    /// - Throws: ``InputFileError`` when a figure is out of range or the layout is inconsistent.
    init(document: DocumentNode, model: ModelSpec, pools: [ScenarioPool]) throws {
        let fields = try document.mapping(keys: Self.documentKeys)
        pool = 0
        if let poolNode = fields.optional("pool") {
            let name = try poolNode.nonEmptyString()
            guard let index = pools.firstIndex(where: { $0.name == name }) else {
                throw poolNode.error(
                    "unknown pool '\(name)'; known pools: \(pools.map(\.name).joined(separator: ", "))")
            }
            pool = index
        }
        let host = pools[pool].host
        role = try fields.required("role").oneOf(InstanceRole.self)
        count = try fields.required("count").integer(.positive)
        let devicesNode = try fields.required("devices_per_instance")
        devicesPerInstance = try devicesNode.integer(.positive)
        attentionTP = try fields.optional("attention_tp")?.integer(.positive) ?? 1
        attentionDP =
            try fields.optional("attention_dp")?.integer(.positive) ?? max(1, devicesPerInstance / attentionTP)
        ep = try fields.optional("ep")?.integer(.positive) ?? (model.moe == nil ? 1 : devicesPerInstance)
        redundantExperts = try fields.optional("redundant_experts")?.integer(.nonNegative) ?? 0
        weights = try fields.optional("weights")?.oneOf(NumericFormat.self) ?? model.nativeWeightFormat
        kvCache = try fields.optional("kv_cache")?.oneOf(NumericFormat.self) ?? .bf16
        microBatches = try fields.optional("micro_batches")?.integer(.range(1...4)) ?? 1
        mtpAcceptance = try fields.optional("mtp_acceptance")?.number(.fraction)
        sourceLine = document.line
        hostKVCache = try fields.optional("host_kv_cache").map { try ScenarioHostCache(document: $0) }
        autoscale = try fields.optional("autoscale").map { try ScenarioAutoscaling(document: $0, maximum: count) }

        let perHost = host.deviceCount
        if devicesPerInstance % perHost != 0, perHost % devicesPerInstance != 0 {
            throw devicesNode.mismatch(expected: "a divisor or multiple of the \(perHost) devices per host")
        }
        if attentionDP * attentionTP != devicesPerInstance {
            throw (fields.optional("attention_dp") ?? fields.optional("attention_tp") ?? devicesNode).error(
                "attention_dp (\(attentionDP)) x attention_tp (\(attentionTP)) must equal devices_per_instance "
                    + "(\(devicesPerInstance))")
        }
        try checkExperts(fields, model: model)
        try checkHostCache(fields, host: host)
        if mtpAcceptance != nil, model.mtpLayers == 0 {
            throw try fields.required("mtp_acceptance").error("model \(model.key) has no multi-token-prediction layers")
        }
    }

    /// The host KV tier must fit in the DRAM of the hosts the instance occupies (its share of one host when
    /// it holds only some of the host's devices).
    private func checkHostCache(_ fields: DocumentMapping, host: HostSpec) throws {
        guard let cache = hostKVCache else { return }
        let dram = Double(host.hostMemory.count) * Double(devicesPerInstance) / Double(host.deviceCount)
        if Double(cache.capacity.count) > dram {
            throw try fields.required("host_kv_cache").error(
                "capacity_gb \(cache.capacity) exceeds the \(Bytes(Int64(dram))) of host memory the instance's "
                    + "\(devicesPerInstance) devices share on \(host.key)")
        }
    }

    private func checkExperts(_ fields: DocumentMapping, model: ModelSpec) throws {
        guard let moe = model.moe else {
            if let node = fields.optional("ep"), ep != 1 {
                throw node.mismatch(expected: "1 (model \(model.key) is dense)")
            }
            if let node = fields.optional("redundant_experts"), redundantExperts != 0 {
                throw node.mismatch(expected: "0 (model \(model.key) is dense)")
            }
            return
        }
        let epNode = fields.optional("ep") ?? fields.owner
        if devicesPerInstance % ep != 0 {
            throw epNode.mismatch(expected: "a divisor of devices_per_instance (\(devicesPerInstance))")
        }
        let slots = moe.routedExperts + redundantExperts
        if slots % ep != 0 {
            throw epNode.error(
                "\(moe.routedExperts) routed + \(redundantExperts) redundant experts do not split evenly over ep "
                    + "\(ep) devices; choose ep dividing \(slots) or adjust redundant_experts")
        }
    }
}
