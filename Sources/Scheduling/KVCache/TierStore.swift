/// One lower tier of the KV cache (host DRAM or disk): cached prefix blocks in LRU order, plus blocks pinned
/// by swapped-out requests, within a fixed capacity.
struct TierStore: Equatable, Sendable {
    /// Blocks the tier holds.
    let capacityBlocks: Int
    /// Cached prefix blocks, evictable, least recently used first.
    private(set) var cached = LRUKeySet()
    /// Blocks held by swapped-out requests; never evicted.
    private(set) var pinnedBlocks = 0

    init(capacityBlocks: Int) { self.capacityBlocks = capacityBlocks }

    /// Blocks neither cached nor pinned.
    var freeBlocks: Int { capacityBlocks - cached.count - pinnedBlocks }

    /// Whether the prefix block `hash` is here.
    func contains(_ hash: UInt64) -> Bool { cached.contains(hash) }

    /// Marks `hash` as just used (it was loaded from here); nothing when it is no longer here.
    mutating func touch(_ hash: UInt64) {
        if cached.contains(hash) { cached.touch(hash) }
    }

    /// Stores `hash`, evicting the least recently used block when full. Returns the evicted hash (for the next
    /// tier down), `hash` itself when nothing can be stored, or nil.
    mutating func store(_ hash: UInt64) -> UInt64? {
        if cached.contains(hash) {
            cached.touch(hash)
            return nil
        }
        var evicted: UInt64?
        if freeBlocks == 0 {
            guard let oldest = cached.popOldest() else { return hash }
            evicted = oldest
        }
        cached.touch(hash)
        return evicted
    }

    /// Pins `blocks` for a swapped-out request, evicting cached blocks as needed; returns the evicted hashes
    /// (for the next tier down), or nil when the tier cannot hold them even after evicting everything.
    mutating func pin(_ blocks: Int) -> [UInt64]? {
        guard capacityBlocks - pinnedBlocks >= blocks else { return nil }
        var evicted: [UInt64] = []
        while freeBlocks < blocks, let oldest = cached.popOldest() { evicted.append(oldest) }
        pinnedBlocks += blocks
        return evicted
    }

    /// Releases `blocks` pinned by a request that was swapped back in or cancelled.
    mutating func unpin(_ blocks: Int) {
        precondition(blocks <= pinnedBlocks, "unpinning \(blocks) blocks but only \(pinnedBlocks) are pinned")
        pinnedBlocks -= blocks
    }
}
