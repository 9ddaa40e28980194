import MoECore

/// A context cache on disk shared by a whole cluster: DeepSeek's on-disk KV cache (3FS KVCache), where the
/// KV cache of every prompt prefilled is written and any instance can load it back instead of recomputing.
///
/// Entries are prompt blocks keyed by the workload's chained block hashes (Mooncake's `hash_ids`, one per
/// `blockTokens`-token block), so a hit on block `i` means the whole prefix up to it is cached. Writes are
/// write-through (``store(_:now:)`` when a prompt has been prefilled); eviction is least recently used when
/// the capacity is reached, and, with a time to live, a block unused for longer is dropped (DeepSeek's API
/// documentation says unused cache entries are cleared within hours to days). Lookups (``lookUp(_:now:)``)
/// refresh what they find. All operations are O(blocks of the request).
public struct ContextCache: Sendable {
    /// What the cache has done so far.
    public struct Statistics: Sendable, Hashable {
        /// Requests looked up.
        public var lookups = 0
        /// Blocks those requests asked for (their prefix blocks).
        public var requestedBlocks = 0
        /// Leading blocks found.
        public var hitBlocks = 0
        /// Blocks written that were not held yet.
        public var storedBlocks = 0
        /// Blocks evicted for room.
        public var evictedBlocks = 0
        /// Blocks dropped for being unused longer than the time to live.
        public var expiredBlocks = 0
    }

    /// Blocks the cache holds at most.
    public let capacityBlocks: Int
    /// Tokens one block (one hash) covers.
    public let blockTokens: Int
    /// How long an unused block is kept, or nil for as long as there is room.
    public let timeToLive: SimDuration?
    /// What the cache has done so far.
    public private(set) var statistics = Statistics()
    private var blocks = LRUKeySet()
    /// When each block was last used (kept only with a time to live), in nanoseconds.
    private var lastUsed: [UInt64: Int64] = [:]

    /// A cache of `capacity` bytes of KV cache at `bytesPerToken`, in blocks of `blockTokens` tokens.
    public init(capacity: Bytes, bytesPerToken: Bytes, blockTokens: Int, timeToLive: SimDuration? = nil) {
        precondition(blockTokens > 0 && bytesPerToken.count > 0, "a context cache needs block and token sizes")
        capacityBlocks = Int(capacity.count / (bytesPerToken.count * Int64(blockTokens)))
        self.blockTokens = blockTokens
        self.timeToLive = timeToLive
    }

    /// Blocks held now.
    public var heldBlocks: Int { blocks.count }

    /// How many leading blocks of `hashes` the cache holds at `now`; those found become the most recently used.
    public mutating func lookUp(_ hashes: [UInt64], now: SimTime) -> Int {
        statistics.lookups += 1
        statistics.requestedBlocks += hashes.count
        var matched = 0
        for hash in hashes {
            guard blocks.contains(hash) else { break }
            if isExpired(hash, now: now) {
                drop(hash)
                statistics.expiredBlocks += 1
                break
            }
            matched += 1
        }
        // Refresh tail first, so the head of a prefix is the last of it to be evicted.
        for hash in hashes.prefix(matched).reversed() { use(hash, now: now) }
        statistics.hitBlocks += matched
        return matched
    }

    /// Writes the blocks `hashes` of a prompt just prefilled at `now` (those held are refreshed), evicting the
    /// least recently used blocks, expired ones first, when full. The tail is written first, so a prefix's
    /// head is the last of it to go.
    public mutating func store(_ hashes: [UInt64], now: SimTime) {
        guard capacityBlocks > 0 else { return }
        dropExpired(now: now)
        for hash in hashes.reversed() {
            if !blocks.contains(hash) {
                if blocks.count >= capacityBlocks, let oldest = blocks.oldestKey {
                    drop(oldest)
                    statistics.evictedBlocks += 1
                }
                statistics.storedBlocks += 1
            }
            use(hash, now: now)
        }
    }

    private mutating func use(_ hash: UInt64, now: SimTime) {
        blocks.touch(hash)
        if timeToLive != nil { lastUsed[hash] = now.nanosecondsSinceStart }
    }

    private mutating func drop(_ hash: UInt64) {
        blocks.remove(hash)
        lastUsed.removeValue(forKey: hash)
    }

    private func isExpired(_ hash: UInt64, now: SimTime) -> Bool {
        guard let timeToLive, let used = lastUsed[hash] else { return false }
        return now.nanosecondsSinceStart - used > timeToLive.nanoseconds
    }

    /// Drops expired blocks from the least recently used end (they are the oldest).
    private mutating func dropExpired(now: SimTime) {
        guard timeToLive != nil else { return }
        while let oldest = blocks.oldestKey, isExpired(oldest, now: now) {
            drop(oldest)
            statistics.expiredBlocks += 1
        }
    }
}
