/// Splits each replicated expert's tokens unevenly over its replicas so that device loads even out,
/// without moving any expert.
///
/// Block coordinate descent on the sum of squared device loads: each expert in turn water-fills its
/// load over its replicas' devices (the least loaded devices are raised to a common level). Each step
/// solves its block exactly, so the sum of squares falls monotonically to its minimum; over the
/// polytope of reachable load vectors that minimum is also the lexicographically smallest vector
/// (Fujishige's theorem for polymatroid bases), hence the smallest possible maximum.
enum ShareBalancing {
    /// Rebalances `layout`'s shares in place and returns the device loads.
    /// - Parameters:
    ///   - sweeps: the most passes over the replicated experts.
    ///   - tolerance: a pass that moves no device by more than this fraction of the mean load ends it.
    @discardableResult
    static func balance(_ layout: inout LayerLayout, loads: [Double], sweeps: Int = 100, tolerance: Double = 1e-5)
        -> [Double]
    {
        var deviceLoads = layout.deviceLoads(loads)
        let slotsPerDevice = layout.slotsPerDevice
        // Each expert's slots in contiguous storage (a counting sort): `slotsOf[starts[e]..<starts[e + 1]]`,
        // ascending, so two copies on one device sit side by side; such copies act as one and keep their split.
        let counts = layout.replicaCounts(experts: loads.count)
        var starts = [Int](repeating: 0, count: loads.count + 1)
        for expert in loads.indices { starts[expert + 1] = starts[expert] + counts[expert] }
        var next = starts
        var slotsOf = [Int](repeating: 0, count: layout.experts.count)
        for (slot, expert) in layout.experts.enumerated() {
            slotsOf[next[expert]] = slot
            next[expert] += 1
        }
        let replicated = loads.indices.filter { expert in
            let slots = slotsOf[starts[expert]..<starts[expert + 1]]
            return slots.count > 1 && loads[expert] > 0
                && !zip(slots, slots.dropFirst()).contains { $0 / slotsPerDevice == $1 / slotsPerDevice }
        }
        guard !replicated.isEmpty else { return deviceLoads }
        let mean = deviceLoads.reduce(0, +) / Double(max(deviceLoads.count, 1))
        var others = [Double]()
        var order = [Int]()
        for _ in 0..<sweeps {
            var largestChange = 0.0
            for expert in replicated {
                let slots = slotsOf[starts[expert]..<starts[expert + 1]]
                let load = loads[expert]
                others.removeAll(keepingCapacity: true)
                for slot in slots { others.append(deviceLoads[slot / slotsPerDevice] - load * layout.shares[slot]) }
                order.removeAll(keepingCapacity: true)
                order.append(contentsOf: others.indices)
                order.sort { others[$0] < others[$1] }
                // The level that `load` raises the lowest devices to.
                var filled = 0.0
                var level = 0.0
                for (rank, index) in order.enumerated() {
                    filled += others[index]
                    level = (load + filled) / Double(rank + 1)
                    if rank + 1 == order.count || level <= others[order[rank + 1]] { break }
                }
                for (offset, slot) in slots.enumerated() {
                    let share = min(max(level - others[offset], 0) / load, 1)
                    let device = slot / slotsPerDevice
                    let updated = others[offset] + share * load
                    largestChange = max(largestChange, abs(updated - deviceLoads[device]))
                    deviceLoads[device] = updated
                    layout.shares[slot] = share
                }
            }
            if largestChange <= tolerance * mean { break }
        }
        return deviceLoads
    }
}
