import MoECore

/// The KV cache one scheduler manages: its HBM blocks, and optional host-DRAM and disk tiers that keep
/// evicted prefix blocks (and, for the host, swapped-out requests) for reloading.
///
/// The caller sizes HBM from the performance model's memory budget (weights and activations subtracted) and
/// passes the block count; ``blocks(fitting:bytesPerToken:blockSize:)`` does the division.
public struct KVCacheConfiguration: Sendable, Hashable {
    /// HBM blocks available for KV cache.
    public var totalBlocks: Int
    /// KV-cache bytes per token (all layers), from `ModelSpec.kvBytesPerToken(format:)`; converts tier loads
    /// to bytes and times.
    public var bytesPerToken: Bytes
    /// Whether full prompt blocks are shared between requests by their chained hashes (vLLM
    /// `enable_prefix_caching`, SGLang's radix cache).
    public var prefixCaching: Bool
    /// Host DRAM tier: receives blocks evicted from HBM and swapped-out requests; nil for none.
    public var hostTier: KVCacheTier?
    /// A disk tier of this instance's own: receives blocks evicted from the host tier; nil for none.
    public var diskTier: KVCacheTier?
    /// The rate at which this instance loads blocks from a context cache on disk shared by the cluster
    /// (DeepSeek's on-disk KV cache); nil when it reads none. The shared cache lives outside the scheduler:
    /// which of a request's blocks it holds comes with the request (``RequestHandoff/contextCacheTokens``),
    /// and its hits count as disk-tier hits. Exclusive with ``diskTier``.
    public var contextCacheLoadBandwidth: Bandwidth?

    /// Creates a cache description.
    public init(
        totalBlocks: Int, bytesPerToken: Bytes, prefixCaching: Bool = true, hostTier: KVCacheTier? = nil,
        diskTier: KVCacheTier? = nil, contextCacheLoadBandwidth: Bandwidth? = nil
    ) {
        self.totalBlocks = totalBlocks
        self.bytesPerToken = bytesPerToken
        self.prefixCaching = prefixCaching
        self.hostTier = hostTier
        self.diskTier = diskTier
        self.contextCacheLoadBandwidth = contextCacheLoadBandwidth
    }

    /// The rate disk-tier hits load at: the instance's own disk tier's, or the shared context cache's.
    public var diskLoadBandwidth: Bandwidth? { diskTier?.loadBandwidth ?? contextCacheLoadBandwidth }

    /// Whole blocks of `blockSize` tokens that fit in `memory`.
    public static func blocks(fitting memory: Bytes, bytesPerToken: Bytes, blockSize: Int) -> Int {
        let blockBytes = bytesPerToken.count * Int64(blockSize)
        guard blockBytes > 0, memory.count > 0 else { return 0 }
        return Int(memory.count / blockBytes)
    }

    /// Time to load `tokens` of KV cache from `tier` into HBM.
    public func loadTime(tokens: Int, from tier: KVCacheTier) -> SimDuration {
        loadTime(tokens: tokens, at: tier.loadBandwidth)
    }

    /// Time to load `tokens` of KV cache into HBM at `bandwidth`.
    public func loadTime(tokens: Int, at bandwidth: Bandwidth) -> SimDuration {
        bandwidth.timeToTransfer(bytesPerToken * Int64(tokens))
    }

    /// Checks every field; throws for the first one out of range, naming it.
    public func validate() throws(ConfigurationError) {
        if totalBlocks < 1 {
            throw ConfigurationError(field: "kvCache.totalBlocks", value: "\(totalBlocks)", expected: "at least 1")
        }
        if bytesPerToken.count < 1 {
            throw ConfigurationError(
                field: "kvCache.bytesPerToken", value: "\(bytesPerToken)", expected: "at least 1 byte")
        }
        for (name, tier) in [("hostTier", hostTier), ("diskTier", diskTier)] {
            guard let tier else { continue }
            if tier.capacityBlocks < 0 {
                throw ConfigurationError(
                    field: "kvCache.\(name).capacityBlocks", value: "\(tier.capacityBlocks)", expected: ">= 0")
            }
            let rate = tier.loadBandwidth.bytesPerSecond
            if !(rate.isFinite && rate > 0) {
                throw ConfigurationError(
                    field: "kvCache.\(name).loadBandwidth", value: "\(tier.loadBandwidth)", expected: "a positive rate")
            }
        }
        if let shared = contextCacheLoadBandwidth {
            if !(shared.bytesPerSecond.isFinite && shared.bytesPerSecond > 0) {
                throw ConfigurationError(
                    field: "kvCache.contextCacheLoadBandwidth", value: "\(shared)", expected: "a positive rate")
            }
            if diskTier != nil {
                throw ConfigurationError(
                    field: "kvCache.contextCacheLoadBandwidth", value: "\(shared)",
                    expected: "nil when the instance has a disk tier of its own (one disk tier or the other)")
            }
        }
    }
}

/// One lower tier of the KV cache: how many blocks it holds and how fast it loads them back into HBM.
public struct KVCacheTier: Sendable, Hashable {
    /// Blocks the tier holds.
    public var capacityBlocks: Int
    /// Rate at which blocks load from this tier into HBM (PCIe for host DRAM; NVMe or a storage network for disk).
    public var loadBandwidth: Bandwidth

    /// Creates a tier of `capacityBlocks` blocks.
    public init(capacityBlocks: Int, loadBandwidth: Bandwidth) {
        self.capacityBlocks = capacityBlocks
        self.loadBandwidth = loadBandwidth
    }

    /// A tier sized in bytes: as many whole blocks as fit in `capacity`.
    public init(capacity: Bytes, bytesPerToken: Bytes, blockSize: Int, loadBandwidth: Bandwidth) {
        self.init(
            capacityBlocks: KVCacheConfiguration.blocks(
                fitting: capacity, bytesPerToken: bytesPerToken, blockSize: blockSize),
            loadBandwidth: loadBandwidth)
    }
}
