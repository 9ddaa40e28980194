import HeapModule

/// Longest-processing-time packing with a slot limit: replicas in descending load per replica, each
/// to the least loaded device that has a free slot and no replica of the same expert yet.
///
/// The classic LPT rule (Graham 1969) keeps the largest device within 4/3 of the optimum for free
/// bins; with a slot per replica it gives a start that ``SwapRefinement`` then improves.
enum SlotPacking {
    /// A layout of `counts[e]` replicas of each expert over `devices` devices of `slotsPerDevice` slots,
    /// replicas splitting their expert's load evenly.
    /// - Precondition: the replicas fill the slots exactly.
    static func longestProcessingTime(loads: [Double], counts: [Int], devices: Int, slotsPerDevice: Int) -> LayerLayout
    {

        struct Replica {
            var load: Double
            var expert: Int
        }
        struct OpenDevice: Comparable {
            var load: Double
            var device: Int
            static func < (lhs: OpenDevice, rhs: OpenDevice) -> Bool {
                lhs.load != rhs.load ? lhs.load < rhs.load : lhs.device < rhs.device
            }
        }
        var replicas = [Replica]()
        replicas.reserveCapacity(devices * slotsPerDevice)
        for (expert, count) in counts.enumerated() {
            for _ in 0..<count { replicas.append(Replica(load: loads[expert] / Double(count), expert: expert)) }
        }
        precondition(replicas.count == devices * slotsPerDevice, "replicas must fill the slots exactly")
        replicas.sort { $0.load != $1.load ? $0.load > $1.load : $0.expert < $1.expert }

        var experts = [Int](repeating: -1, count: devices * slotsPerDevice)
        var used = [Int](repeating: 0, count: devices)
        var open = Heap((0..<devices).map { OpenDevice(load: 0, device: $0) })
        var popped = [OpenDevice]()
        for replica in replicas {
            // The least loaded open device without this expert (replicas of one expert come together,
            // so at most count - 1 devices are passed over).
            var chosen: Int?
            while let candidate = open.popMin() {
                popped.append(candidate)
                let slots =
                    (candidate.device * slotsPerDevice)..<(candidate.device * slotsPerDevice + used[candidate.device])
                if !slots.contains(where: { experts[$0] == replica.expert }) {
                    chosen = popped.count - 1
                    break
                }
            }
            // When every open device already holds the expert (possible only for the last few slots),
            // the least loaded takes a second copy rather than leave a slot empty.
            guard var device = popped.isEmpty ? nil : popped.remove(at: chosen ?? 0) else {
                preconditionFailure("replicas outnumber the slots")
            }
            open.insert(contentsOf: popped)
            popped.removeAll(keepingCapacity: true)
            experts[device.device * slotsPerDevice + used[device.device]] = replica.expert
            used[device.device] += 1
            device.load += replica.load
            if used[device.device] < slotsPerDevice { open.insert(device) }
        }
        return LayerLayout(slotsPerDevice: slotsPerDevice, experts: experts)
    }
}
