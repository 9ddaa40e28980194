/// The paged KV cache of one instance: HBM blocks that are free, owned privately by one request, or cached
/// under a prefix hash (shared by reference count, evictable in LRU order once unreferenced), plus the
/// optional host and disk tiers that evicted prefix blocks fall into.
///
/// Private blocks are counted rather than named: their content is never shared, so only their number
/// matters. Invariant: `freeBlocks + privateBlocks + cachedBlocks == totalBlocks`.
struct KVBlockPool: Equatable, Sendable {
    /// HBM blocks in all.
    let totalBlocks: Int
    /// HBM blocks holding nothing.
    private(set) var freeBlocks: Int
    /// HBM blocks owned by exactly one request and not shareable.
    private(set) var privateBlocks = 0
    /// Reference counts of the hashed (shareable) blocks in HBM; zero means cached but unused.
    private(set) var referenceCounts = BlockHashMap()
    /// Hashed HBM blocks with no reference, least recently used first: evicted before anything else.
    private(set) var evictable = LRUKeySet()
    /// Host DRAM tier, if any.
    private(set) var host: TierStore?
    /// Disk tier, if any.
    private(set) var disk: TierStore?
    /// Hashed blocks evicted from HBM so far.
    private(set) var evictedBlocks = 0

    init(configuration: KVCacheConfiguration) {
        totalBlocks = configuration.totalBlocks
        freeBlocks = configuration.totalBlocks
        host = configuration.hostTier.map { TierStore(capacityBlocks: $0.capacityBlocks) }
        disk = configuration.diskTier.map { TierStore(capacityBlocks: $0.capacityBlocks) }
    }

    /// Hashed blocks in HBM, referenced or not.
    var cachedBlocks: Int { referenceCounts.count }
    /// Blocks an allocation may take: free ones plus unreferenced cached ones (evicted on demand).
    var availableBlocks: Int { freeBlocks + evictable.count }
    /// Blocks held by running requests.
    var usedBlocks: Int { totalBlocks - availableBlocks }

    /// Takes `count` private blocks, free ones first, then by evicting the least recently used cached blocks.
    mutating func allocatePrivate(_ count: Int) {
        precondition(count <= availableBlocks, "allocating \(count) blocks with \(availableBlocks) available")
        let fromFree = min(count, freeBlocks)
        freeBlocks -= fromFree
        for _ in fromFree..<count { evictOldest() }
        privateBlocks += count
    }

    /// Returns `count` private blocks to the free pool.
    mutating func releasePrivate(_ count: Int) {
        precondition(count <= privateBlocks, "releasing \(count) private blocks of \(privateBlocks)")
        privateBlocks -= count
        freeBlocks += count
    }

    /// Adds a reference to the cached HBM block `hash` (a prefix hit), taking it off the eviction list.
    mutating func reference(_ hash: UInt64) {
        guard let count = referenceCounts[hash] else { preconditionFailure("referencing uncached block \(hash)") }
        if count == 0 { evictable.remove(hash) }
        referenceCounts[hash] = count + 1
    }

    /// Drops a reference to the cached HBM block `hash`; at zero it becomes the most recently used evictable block.
    mutating func release(_ hash: UInt64) {
        guard let count = referenceCounts[hash], count > 0 else {
            preconditionFailure("releasing unreferenced block \(hash)")
        }
        referenceCounts[hash] = count - 1
        if count == 1 { evictable.touch(hash) }
    }

    /// Publishes one of the caller's private blocks, now fully computed, under `hash`. When another request
    /// already published the same block, the caller references that one and its private copy is freed.
    mutating func publish(_ hash: UInt64) {
        precondition(privateBlocks > 0, "publishing a block with no private block held")
        privateBlocks -= 1
        if referenceCounts[hash] != nil {
            freeBlocks += 1
            reference(hash)
        } else {
            referenceCounts[hash] = 1
        }
    }

    /// Where the prefix block `hash` is cached, searching HBM, then host, then disk.
    func tier(of hash: UInt64) -> CacheTier? {
        if referenceCounts[hash] != nil { return .hbm }
        if host?.contains(hash) == true { return .host }
        if disk?.contains(hash) == true { return .disk }
        return nil
    }

    /// Whether `hash` is cached in HBM with no reference (so reusing it shrinks the evictable pool).
    func isEvictable(_ hash: UInt64) -> Bool { referenceCounts[hash] == 0 }

    /// Loads the prefix block `hash` from a lower tier into a newly allocated HBM block, referenced once.
    mutating func load(_ hash: UInt64, from tier: CacheTier) {
        precondition(availableBlocks >= 1, "loading block \(hash) with no HBM block available")
        switch tier {
        case .hbm: preconditionFailure("block \(hash) is already in HBM")
        case .host: host?.touch(hash)
        case .disk: disk?.touch(hash)
        }
        allocatePrivate(1)
        publish(hash)
    }

    /// Moves `count` blocks of a preempted request to the host tier; false when there is no room (the caller
    /// then recomputes instead).
    mutating func swapOut(_ count: Int) -> Bool {
        guard host != nil, let evicted = host!.pin(count) else { return false }
        for hash in evicted { demoteToDisk(hash) }
        return true
    }

    /// Releases the host blocks of a request that was swapped back in (or cancelled while swapped out).
    mutating func releaseSwapped(_ count: Int) { host?.unpin(count) }

    private mutating func evictOldest() {
        guard let hash = evictable.popOldest() else { preconditionFailure("no evictable block") }
        referenceCounts.removeValue(forKey: hash)
        evictedBlocks += 1
        if host != nil {
            if let spilled = host!.store(hash) { demoteToDisk(spilled) }
        } else {
            demoteToDisk(hash)
        }
    }

    private mutating func demoteToDisk(_ hash: UInt64) {
        _ = disk?.store(hash)
    }
}
