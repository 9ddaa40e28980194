import MoECore
import Testing

@testable import Scheduling

@Suite struct BlockHashMapTests {
    /// Random insertions, updates and removals agree with a `Dictionary` at every step, including keys that
    /// share their low bits (long probe runs, wrap-around) and the key 0, which marks empty slots.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func behavesLikeADictionaryUnderRandomOperations(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var map = BlockHashMap()
        var reference: [UInt64: Int32] = [:]
        // Few distinct low bits make collisions common; keys whose low 40 bits are all ones start at the
        // table's last slot, so their runs wrap around to its start.
        func key() -> UInt64 {
            let high = random.next() % 64
            let low = random.next() % 8
            if random.next() % 50 == 0 { return 0 }
            return (high << 40) | (low == 7 ? (1 << 40) - 1 : low)
        }
        for step in 0..<20_000 {
            let k = key()
            switch random.next() % 3 {
            case 0, 1:
                let value = Int32(truncatingIfNeeded: random.next())
                map[k] = value
                reference[k] = value
            default:
                #expect(map.removeValue(forKey: k) == reference.removeValue(forKey: k), "step \(step)")
            }
            #expect(map.count == reference.count, "step \(step)")
            let probe = key()
            #expect(map[probe] == reference[probe], "step \(step)")
        }
        for (k, value) in reference { #expect(map[k] == value) }
        #expect(Set(map.entries.map(\.key)) == Set(reference.keys))
    }

    @Test func equalityIgnoresTheOrderOfInsertion() {
        var forward = BlockHashMap()
        var backward = BlockHashMap()
        let keys: [UInt64] = (1...100).map { $0 << 8 }  // every key has the same low bits
        for (index, key) in keys.enumerated() { forward[key] = Int32(index) }
        for (index, key) in keys.enumerated().reversed() { backward[key] = Int32(index) }
        #expect(forward == backward)
        backward[keys[0]] = 7
        #expect(forward != backward)
    }
}
