/// A set of block hashes ordered from least to most recently used, with O(1) insert, remove and
/// pop-oldest: the eviction order of every cache tier.
///
/// A doubly linked list threaded through flat arrays (slots are recycled through a free list), indexed by a
/// ``BlockHashMap`` from hash to slot. swift-collections has no LRU structure; `OrderedSet` removes in O(n).
struct LRUKeySet: Equatable, Sendable {
    private static let none: Int32 = -1

    private var slotOfKey = BlockHashMap()
    private var keys: [UInt64] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    private var freeSlots: [Int32] = []
    private var oldest: Int32 = LRUKeySet.none
    private var newest: Int32 = LRUKeySet.none

    /// Number of hashes held.
    var count: Int { slotOfKey.count }

    /// Whether `key` is held.
    func contains(_ key: UInt64) -> Bool { slotOfKey[key] != nil }

    /// Makes `key` the most recently used, inserting it if absent.
    mutating func touch(_ key: UInt64) {
        if let slot = slotOfKey[key] {
            unlink(slot)
            linkAsNewest(slot)
            return
        }
        let slot: Int32
        if let recycled = freeSlots.popLast() {
            slot = recycled
            keys[Int(slot)] = key
        } else {
            slot = Int32(keys.count)
            keys.append(key)
            previous.append(Self.none)
            next.append(Self.none)
        }
        slotOfKey[key] = slot
        linkAsNewest(slot)
    }

    /// Removes `key`; returns whether it was held.
    @discardableResult
    mutating func remove(_ key: UInt64) -> Bool {
        guard let slot = slotOfKey.removeValue(forKey: key) else { return false }
        unlink(slot)
        freeSlots.append(slot)
        return true
    }

    /// The least recently used hash, or nil when empty.
    var oldestKey: UInt64? { oldest == Self.none ? nil : keys[Int(oldest)] }

    /// Removes and returns the least recently used hash, or nil when empty.
    mutating func popOldest() -> UInt64? {
        guard oldest != Self.none else { return nil }
        let key = keys[Int(oldest)]
        remove(key)
        return key
    }

    private mutating func unlink(_ slot: Int32) {
        let before = previous[Int(slot)]
        let after = next[Int(slot)]
        if before == Self.none { oldest = after } else { next[Int(before)] = after }
        if after == Self.none { newest = before } else { previous[Int(after)] = before }
        previous[Int(slot)] = Self.none
        next[Int(slot)] = Self.none
    }

    private mutating func linkAsNewest(_ slot: Int32) {
        previous[Int(slot)] = newest
        next[Int(slot)] = Self.none
        if newest == Self.none { oldest = slot } else { next[Int(newest)] = slot }
        newest = slot
    }
}
