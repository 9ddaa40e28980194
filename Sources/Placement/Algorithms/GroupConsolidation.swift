/// Gathers each expert group onto few nodes for a bounded loss of balance: swaps two slots on
/// different nodes when both devices stay within a slack of the layer's busiest device and the group
/// loads get more concentrated, then re-splits the replicated experts' tokens to win back balance.
/// The planner takes one candidate per slack and keeps the layout with the shortest predicted MoE
/// layer time, which weighs the busiest device against the NIC copies saved.
///
/// DeepEP's normal kernels send one RDMA copy of a token to every node its experts sit on, and a
/// token's experts come from at most `groupsPerToken` groups, so a group kept on one node costs one
/// copy where a scattered group costs several. The concentration measured is the sum over groups and
/// nodes of the squared group load on the node; each accepted swap raises it, so the passes end.
enum GroupConsolidation {
    /// Passes over the slots at most, per slack.
    static let maximumPasses = 4

    /// One layout per slack (ascending), each continuing from the one before: `layout` with slots
    /// swapped between nodes while no device exceeds the busiest device of `layout` by more than the
    /// slack. A slot is only swapped towards the node holding most of its group.
    static func candidates(
        _ layout: LayerLayout, loads: [Double], instance: InstanceDevices, routing: ExpertRouting, slacks: [Double]
    ) -> [LayerLayout] {
        let nodes = instance.nodes
        guard nodes > 1, routing.groups > 1 else { return [] }
        let slotsPerDevice = layout.slotsPerDevice
        let slotCount = layout.experts.count
        let originalPeak = layout.deviceLoads(loads).max() ?? 0
        let slotNode = (0..<slotCount).map { instance.node[$0 / slotsPerDevice] }
        let nodeSlots = (0..<nodes).map { node in (0..<slotCount).filter { slotNode[$0] == node } }
        var layout = layout
        var results = [LayerLayout]()
        for slack in slacks {
            let cap = originalPeak * (1 + slack)
            var deviceLoads = layout.deviceLoads(loads)
            var slotLoads = (0..<slotCount).map { loads[layout.experts[$0]] * layout.shares[$0] }
            var slotGroup = layout.experts.map { routing.group(of: $0) }
            var mass = [Double](repeating: 0, count: routing.groups * nodes)
            for slot in 0..<slotCount { mass[slotGroup[slot] * nodes + slotNode[slot]] += slotLoads[slot] }
            let tolerance = cap * 1e-12
            for _ in 0..<maximumPasses {
                var improved = false
                for first in 0..<slotCount {
                    let firstDevice = first / slotsPerDevice
                    let firstNode = slotNode[first]
                    let firstGroup = slotGroup[first]
                    // Partners on the node that holds most of the first slot's group (moving there
                    // concentrates it most).
                    var secondNode = firstNode
                    for node in 0..<nodes where mass[firstGroup * nodes + node] > mass[firstGroup * nodes + secondNode]
                    {
                        secondNode = node
                    }
                    guard secondNode != firstNode else { continue }
                    for second in nodeSlots[secondNode] {
                        let secondGroup = slotGroup[second]
                        guard firstGroup != secondGroup else { continue }
                        let secondDevice = second / slotsPerDevice
                        let a = slotLoads[first]
                        let b = slotLoads[second]
                        // Change of the sum of squares when `a` moves to the second node and `b` to the first.
                        let gain =
                            a * (mass[firstGroup * nodes + secondNode] - mass[firstGroup * nodes + firstNode] + a)
                            + b * (mass[secondGroup * nodes + firstNode] - mass[secondGroup * nodes + secondNode] + b)
                        guard gain > tolerance * (a + b), deviceLoads[firstDevice] - a + b <= cap,
                            deviceLoads[secondDevice] - b + a <= cap,
                            !layout.device(secondDevice, holds: layout.experts[first]),
                            !layout.device(firstDevice, holds: layout.experts[second])
                        else { continue }
                        deviceLoads[firstDevice] += b - a
                        deviceLoads[secondDevice] += a - b
                        mass[firstGroup * nodes + firstNode] -= a
                        mass[firstGroup * nodes + secondNode] += a
                        mass[secondGroup * nodes + secondNode] -= b
                        mass[secondGroup * nodes + firstNode] += b
                        layout.experts.swapAt(first, second)
                        layout.shares.swapAt(first, second)
                        slotLoads.swapAt(first, second)
                        slotGroup.swapAt(first, second)
                        improved = true
                    }
                }
                if !improved { break }
            }
            ShareBalancing.balance(&layout, loads: loads)
            results.append(layout)
        }
        return results
    }
}
