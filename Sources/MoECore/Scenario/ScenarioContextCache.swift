/// A context cache on disk shared by the whole cluster (the `context_cache` section): DeepSeek's on-disk KV
/// cache on its 3FS file system, which every instance writes the prompts it prefills to and loads prefixes
/// back from. Its hits skip prefill compute but pay the load from disk.
public struct ScenarioContextCache: Hashable, Sendable {
    /// Bytes of KV cache it holds.
    public var capacity: Bytes
    /// The rate one node loads from it. Default: 40 GiB/s, the peak read throughput of a 3FS KVCache client
    /// node with one 400 Gb/s storage NIC (deepseek-ai/3FS README, "KVCache").
    public var loadBandwidthPerNode: Bandwidth
    /// How long an unused entry is kept, or nil for as long as there is room.
    public var timeToLive: SimDuration?

    /// 3FS's KVCache read throughput per client node, 40 GiB/s.
    public static let defaultLoadBandwidthPerNode = Bandwidth(bytesPerSecond: 40 * 1_073_741_824)

    /// Creates a cache description.
    public init(
        capacity: Bytes, loadBandwidthPerNode: Bandwidth = defaultLoadBandwidthPerNode, timeToLive: SimDuration? = nil
    ) {
        self.capacity = capacity
        self.loadBandwidthPerNode = loadBandwidthPerNode
        self.timeToLive = timeToLive
    }
}

extension ScenarioContextCache {
    /// Decodes `{capacity_tb, load_gb_per_s, ttl_h}`.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: ["capacity_tb", "load_gb_per_s", "ttl_h"])
        self.init(capacity: Bytes(Int64(try fields.required("capacity_tb").number(.positive) * 1e12)))
        if let load = fields.optional("load_gb_per_s") {
            loadBandwidthPerNode = .gigabytesPerSecond(try load.number(.positive))
        }
        timeToLive = try fields.optional("ttl_h").map { .seconds(try $0.number(.positive) * 3600) }
    }
}

/// A host-DRAM tier of an instance's KV cache (`deployment.instances[i].host_kv_cache`): prefix blocks
/// evicted from HBM are kept there and loaded back over PCIe (LMCache's CPU offload, SGLang's hierarchical
/// cache), and swap preemption parks requests there.
public struct ScenarioHostCache: Hashable, Sendable {
    /// Host memory the instance gives its KV cache.
    public var capacity: Bytes
    /// The rate blocks load back into HBM, or nil for every device's host link at once (PCIe per device).
    public var loadBandwidth: Bandwidth?

    /// Creates a tier description.
    public init(capacity: Bytes, loadBandwidth: Bandwidth? = nil) {
        self.capacity = capacity
        self.loadBandwidth = loadBandwidth
    }
}

extension ScenarioHostCache {
    /// Decodes `{capacity_gb, load_gb_per_s}`.
    init(document: DocumentNode) throws {
        let fields = try document.mapping(keys: ["capacity_gb", "load_gb_per_s"])
        self.init(
            capacity: .gigabytes(try fields.required("capacity_gb").number(.positive)),
            loadBandwidth: try fields.optional("load_gb_per_s").map { .gigabytesPerSecond(try $0.number(.positive)) })
    }
}
