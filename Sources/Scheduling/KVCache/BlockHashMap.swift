/// A hash map from prefix-block hashes to small integers (reference counts, list slots), with O(1) expected
/// lookup, insertion and removal.
///
/// Block hashes are already uniformly mixed 64-bit values (SplitMix64's finalizer, see
/// ``PrefixBlockHashing``), so their low bits index an open-addressing table directly. A `Dictionary` would
/// run each one through SipHash again: on Mooncake's long prompts that re-hashing alone was a third of the
/// simulator's instructions. Linear probing at a load factor of at most one half; removal shifts the
/// following run back instead of leaving tombstones, so lookups never slow down over a long run. The key 0
/// marks an empty slot; the one real key that equals 0 lives beside the table.
struct BlockHashMap: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private var zeroValue: Int32?
    /// Keys held.
    private(set) var count = 0

    /// An empty map.
    init() {
        keys = Array(repeating: 0, count: 16)
        values = Array(repeating: 0, count: 16)
        mask = 15
    }

    /// The value of `key`, or nil; setting nil removes it.
    subscript(key: UInt64) -> Int32? {
        get {
            if key == 0 { return zeroValue }
            var slot = Int(truncatingIfNeeded: key) & mask
            while true {
                let found = keys[slot]
                if found == key { return values[slot] }
                if found == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
        set {
            if let newValue { insert(key, newValue) } else { removeValue(forKey: key) }
        }
    }

    /// Whether `key` is held.
    func contains(_ key: UInt64) -> Bool { self[key] != nil }

    /// Removes `key`; returns its value, or nil when it was not held.
    @discardableResult
    mutating func removeValue(forKey key: UInt64) -> Int32? {
        if key == 0 {
            guard let value = zeroValue else { return nil }
            zeroValue = nil
            count -= 1
            return value
        }
        var slot = Int(truncatingIfNeeded: key) & mask
        while keys[slot] != key {
            if keys[slot] == 0 { return nil }
            slot = (slot + 1) & mask
        }
        let removed = values[slot]
        count -= 1
        // Shift back every following entry whose home is at or before the hole (cyclically).
        var hole = slot
        var next = (hole + 1) & mask
        while keys[next] != 0 {
            let home = Int(truncatingIfNeeded: keys[next]) & mask
            if (next - home) & mask >= (next - hole) & mask {
                keys[hole] = keys[next]
                values[hole] = values[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        keys[hole] = 0
        return removed
    }

    /// Every key with its value, in no particular order (for invariant checks and equality).
    var entries: [(key: UInt64, value: Int32)] {
        var all: [(key: UInt64, value: Int32)] = []
        all.reserveCapacity(count)
        if let zeroValue { all.append((0, zeroValue)) }
        for slot in keys.indices where keys[slot] != 0 { all.append((keys[slot], values[slot])) }
        return all
    }

    private mutating func insert(_ key: UInt64, _ value: Int32) {
        if key == 0 {
            if zeroValue == nil { count += 1 }
            zeroValue = value
            return
        }
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == key {
                values[slot] = value
                return
            }
            if found == 0 { break }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = value
        count += 1
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let old = entries
        let capacity = keys.count * 2
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        count = 0
        zeroValue = nil
        for (key, value) in old { insert(key, value) }
    }
}

extension BlockHashMap: Equatable {
    /// Maps are equal when they hold the same keys with the same values, however their tables are laid out.
    static func == (lhs: BlockHashMap, rhs: BlockHashMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }
}
