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
    static func balance(_ layout: inout LayerLayout, loads: [Double], sweeps: Int = 200, tolerance: Double = 1e-9)
        -> [Double]
    {
        var deviceLoads = layout.deviceLoads(loads)
        let slotsPerDevice = layout.slotsPerDevice
        // Replicated experts and their slots, in contiguous storage.
        var replicaSlots = [[Int]](repeating: [], count: loads.count)
        for (slot, expert) in layout.experts.enumerated() { replicaSlots[expert].append(slot) }
        // Two copies on one device act as one and keep their split.
        let replicated = replicaSlots.indices.filter { expert in
            let slots = replicaSlots[expert]
            return slots.count > 1 && loads[expert] > 0
                && Set(slots.map { $0 / slotsPerDevice }).count == slots.count
        }
        guard !replicated.isEmpty else { return deviceLoads }
        let mean = deviceLoads.reduce(0, +) / Double(max(deviceLoads.count, 1))
        var others = [Double]()
        var order = [Int]()
        for _ in 0..<sweeps {
            var largestChange = 0.0
            for expert in replicated {
                let slots = replicaSlots[expert]
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
                for (index, slot) in slots.enumerated() {
                    let share = max(level - others[index], 0) / load
                    let device = slot / slotsPerDevice
                    let updated = others[index] + share * load
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
