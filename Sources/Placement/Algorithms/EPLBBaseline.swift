/// The baseline: what DeepSeek's open-source Expert Parallelism Load Balancer (deepseek-ai/EPLB) does,
/// written from its published description.
///
/// - **Hierarchical** (when the node count divides the expert-group count): pack the expert groups
///   onto nodes so node loads balance, replicate experts within each node (the replication greedy of
///   ``ReplicaCounts``), then pack each node's physical experts onto its GPUs.
/// - **Global** (otherwise): replicate experts over the whole group and pack all physical experts
///   onto all GPUs.
///
/// Packing is EPLB's balanced packing: items in descending weight, each to the lightest pack that
/// still has room (every pack takes the same number of items). Ties go to the earlier item (a stable
/// sort) and the lower-numbered pack; replication ties go to the lower-numbered expert. Replicas of
/// one expert split its tokens evenly. With these rules the README's example is reproduced exactly.
public enum EPLBBaseline {
    /// The logical expert of each physical slot of one layer (slot `s` on GPU `s / (physicalExperts / gpus)`).
    /// - Parameters:
    ///   - loads: the layer's load per logical expert.
    ///   - physicalExperts: slots in all, a multiple of `gpus`.
    ///   - groups: expert groups (1 when routing is not group-limited); must divide the experts.
    ///   - nodes: nodes the GPUs span, each with the same number of GPUs.
    ///   - gpus: GPUs in the expert-parallel group.
    public static func physicalToLogical(
        loads: [Double], physicalExperts: Int, groups: Int, nodes: Int, gpus: Int
    ) -> [Int] {
        if usesHierarchicalPolicy(experts: loads.count, groups: groups, nodes: nodes, gpus: gpus) {
            return hierarchical(
                loads: loads, physicalExperts: physicalExperts, groups: groups, nodes: nodes, gpus: gpus)
        }
        return hierarchical(loads: loads, physicalExperts: physicalExperts, groups: 1, nodes: 1, gpus: gpus)
    }

    /// Whether EPLB takes the hierarchical policy for `groups` expert groups of `experts` experts on
    /// `gpus` GPUs over `nodes` nodes: the node count divides the groups (as EPLB decides; with one
    /// node this is always so) and the GPUs split evenly over the nodes.
    public static func usesHierarchicalPolicy(experts: Int, groups: Int, nodes: Int, gpus: Int) -> Bool {
        nodes > 0 && groups > 0 && groups % nodes == 0 && gpus % nodes == 0 && experts % groups == 0
    }

    private static func hierarchical(
        loads: [Double], physicalExperts: Int, groups: Int, nodes: Int, gpus: Int
    ) -> [Int] {
        let experts = loads.count
        let groupSize = experts / groups
        let groupsPerNode = groups / nodes
        let expertsPerNode = experts / nodes
        let physicalPerNode = physicalExperts / nodes
        let gpusPerNode = gpus / nodes
        let slotsPerGPU = physicalExperts / gpus

        // 1. Groups to nodes; the node-major order of the groups renumbers the experts.
        let groupLoads = (0..<groups).map { group in loads[(group * groupSize)..<((group + 1) * groupSize)].reduce(0, +)
        }
        let groupPacking = balancedPacking(weights: groupLoads, packs: nodes)
        var nodeMajorToLogical = [Int](repeating: 0, count: experts)
        for group in 0..<groups {
            let position = groupPacking.pack[group] * groupsPerNode + groupPacking.rank[group]
            for offset in 0..<groupSize {
                nodeMajorToLogical[position * groupSize + offset] = group * groupSize + offset
            }
        }

        var result = [Int](repeating: 0, count: physicalExperts)
        for node in 0..<nodes {
            // 2. Replicate within the node: physical expert i < expertsPerNode is node-local expert i,
            // the others are the replicas in the order the greedy adds them.
            let local = (0..<expertsPerNode).map { loads[nodeMajorToLogical[node * expertsPerNode + $0]] }
            let physicalToLocal =
                Array(0..<expertsPerNode)
                + ReplicaCounts.additions(loads: local, extraSlots: physicalPerNode - expertsPerNode)
            var replicas = [Int](repeating: 0, count: expertsPerNode)
            for expert in physicalToLocal { replicas[expert] += 1 }
            // 3. Physical experts to the node's GPUs by their load per replica.
            let weights = physicalToLocal.map { local[$0] / Double(replicas[$0]) }
            let packing = balancedPacking(weights: weights, packs: gpusPerNode)
            for (physical, expert) in physicalToLocal.enumerated() {
                let slot = packing.pack[physical] * slotsPerGPU + packing.rank[physical]
                result[node * physicalPerNode + slot] = nodeMajorToLogical[node * expertsPerNode + expert]
            }
        }
        return result
    }

    /// Each item's pack and its position in the pack: items in descending weight (stable), each to the
    /// lightest pack with room (the lowest-numbered on ties); every pack takes `weights.count / packs`.
    static func balancedPacking(weights: [Double], packs: Int) -> (pack: [Int], rank: [Int]) {
        let perPack = weights.count / packs
        var pack = [Int](repeating: 0, count: weights.count)
        var rank = [Int](repeating: 0, count: weights.count)
        var packWeights = [Double](repeating: 0, count: packs)
        var packItems = [Int](repeating: 0, count: packs)
        let order = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        for item in order {
            var chosen = -1
            for candidate in 0..<packs where packItems[candidate] < perPack {
                if chosen < 0 || packWeights[candidate] < packWeights[chosen] { chosen = candidate }
            }
            pack[item] = chosen
            rank[item] = packItems[chosen]
            packWeights[chosen] += weights[item]
            packItems[chosen] += 1
        }
        return (pack, rank)
    }
}
