import HeapModule

/// How many replicas each logical expert gets: every expert starts with one, and each extra slot goes
/// to the expert whose load per replica is highest (the lowest-numbered one on ties).
///
/// This greedy water-filling minimizes the largest load per replica for a given number of slots (a
/// replica taken from any expert could only raise that maximum), and it is the replication step of
/// DeepSeek's EPLB. The heap makes it O((experts + extra) log experts).
public enum ReplicaCounts {
    /// The experts that receive the extra slots, in the order they receive them.
    /// - Parameters:
    ///   - loads: the load of each logical expert.
    ///   - extraSlots: slots beyond one per expert.
    ///   - maximumReplicas: the most replicas one expert may get (the device count, so that no device
    ///     holds two copies of one expert); experts at the cap are passed over.
    /// - Returns: one expert index per extra slot; fewer when every expert reached the cap.
    public static func additions(loads: [Double], extraSlots: Int, maximumReplicas: Int = .max) -> [Int] {
        var counts = [Int](repeating: 1, count: loads.count)
        var heap = Heap<Candidate>(loads.indices.map { Candidate(loadPerReplica: loads[$0], expert: $0) })
        var result = [Int]()
        result.reserveCapacity(max(extraSlots, 0))
        while result.count < extraSlots, let top = heap.popMax() {
            guard counts[top.expert] < maximumReplicas else { continue }
            counts[top.expert] += 1
            result.append(top.expert)
            heap.insert(Candidate(loadPerReplica: loads[top.expert] / Double(counts[top.expert]), expert: top.expert))
        }
        return result
    }

    /// Replicas per expert after ``additions(loads:extraSlots:maximumReplicas:)``.
    public static func counts(loads: [Double], extraSlots: Int, maximumReplicas: Int = .max) -> [Int] {
        var counts = [Int](repeating: 1, count: loads.count)
        for expert in additions(loads: loads, extraSlots: extraSlots, maximumReplicas: maximumReplicas) {
            counts[expert] += 1
        }
        return counts
    }

    /// An expert in the heap: higher load per replica first, then the lower index.
    private struct Candidate: Comparable {
        var loadPerReplica: Double
        var expert: Int

        static func < (lhs: Candidate, rhs: Candidate) -> Bool {
            lhs.loadPerReplica != rhs.loadPerReplica ? lhs.loadPerReplica < rhs.loadPerReplica : lhs.expert > rhs.expert
        }
    }
}
