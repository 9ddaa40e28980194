/// The planner's topology stage: which physical device each of a balanced layout's device contents
/// goes to. Moving a device's whole contents to another device leaves every device load, and so the
/// balance, unchanged; only the traffic changes.
///
/// Contents are taken heaviest first and given to the node (with a free device) where they add the
/// most local coverage: a replica on a node that has no copy of its expert yet lets that node's
/// tokens reach the expert over the scale-up links. For DeepEP's normal kernels, which send one
/// RDMA copy per destination node, contents also lean towards nodes already holding experts of the
/// same group, so a token's group-limited copies reach fewer nodes. Within a node, devices whose NIC
/// hangs off the other socket get the lightest contents. The result is kept unless the traffic
/// model says the layout as packed sends fewer bytes over the NICs.
enum DeviceAssignment {
    /// What the NIC traffic of a layout is measured by.
    enum NICObjective {
        /// Distinct remote nodes per token (internode normal kernels).
        case remoteNodes
        /// Copies to remote nodes per token (low-latency kernels).
        case remoteCopies
    }

    /// `layout` with its device contents reordered for less NIC and inter-socket traffic.
    static func assign(
        _ layout: LayerLayout, loads: [Double], traffic model: TrafficModel, objective: NICObjective
    ) -> LayerLayout {
        let instance = model.instance
        let nodes = instance.nodes
        guard nodes > 1 else { return layout }
        let routing = model.routing
        let devices = layout.devices
        let nodeWeights = instance.devicesPerNode.map { Double($0) / Double(devices) }
        var groupLoads = [Double](repeating: 0, count: routing.groups)
        for expert in loads.indices { groupLoads[routing.group(of: expert)] += loads[expert] }
        let contentLoads = layout.deviceLoads(loads)
        func heaviestSlot(_ device: Int) -> Double {
            layout.slots(of: device).map { loads[layout.experts[$0]] * layout.shares[$0] }.max() ?? 0
        }
        let heaviest = (0..<devices).map(heaviestSlot)
        let order = (0..<devices).sorted { heaviest[$0] != heaviest[$1] ? heaviest[$0] > heaviest[$1] : $0 < $1 }

        var supply = [Double](repeating: 0, count: loads.count * nodes)
        var groupOnNode = [Double](repeating: 0, count: routing.groups * nodes)
        var free = instance.devicesPerNode
        var contentsOfNode = [[Int]](repeating: [], count: nodes)
        for content in order {
            var bestNode = -1
            var bestScore = -Double.infinity
            for node in 0..<nodes where free[node] > 0 {
                var score = 0.0
                for slot in layout.slots(of: content) {
                    let expert = layout.experts[slot]
                    let share = layout.shares[slot]
                    let held = supply[expert * nodes + node]
                    score += loads[expert] * (min(nodeWeights[node], held + share) - min(nodeWeights[node], held))
                    let group = routing.group(of: expert)
                    if objective == .remoteNodes, groupLoads[group] > 0 {
                        score += loads[expert] * share * groupOnNode[group * nodes + node] / groupLoads[group]
                    }
                }
                if score > bestScore {
                    bestScore = score
                    bestNode = node
                }
            }
            free[bestNode] -= 1
            contentsOfNode[bestNode].append(content)
            for slot in layout.slots(of: content) {
                let expert = layout.experts[slot]
                supply[expert * nodes + bestNode] += layout.shares[slot]
                groupOnNode[routing.group(of: expert) * nodes + bestNode] += loads[expert] * layout.shares[slot]
            }
        }
        // Devices of each node, those reaching their NIC without crossing a socket first.
        var placement = [Int](repeating: 0, count: devices)
        for node in 0..<nodes {
            let targets = (0..<devices).filter { instance.node[$0] == node }
                .sorted { (instance.nicCrossesSocket[$0] ? 1 : 0, $0) < (instance.nicCrossesSocket[$1] ? 1 : 0, $1) }
            var contents = contentsOfNode[node]
            if targets.contains(where: { instance.nicCrossesSocket[$0] }) {
                contents.sort { contentLoads[$0] != contentLoads[$1] ? contentLoads[$0] > contentLoads[$1] : $0 < $1 }
            }
            for (target, content) in zip(targets, contents) { placement[target] = content }
        }
        let assigned = layout.permutingDevices(placement)
        return nicTraffic(assigned, loads: loads, model: model, objective)
            <= nicTraffic(layout, loads: loads, model: model, objective) ? assigned : layout
    }

    private static func nicTraffic(
        _ layout: LayerLayout, loads: [Double], model: TrafficModel, _ objective: NICObjective
    ) -> Double {
        let traffic = model.traffic(loads: loads, layout: layout, deviceDetail: false)
        switch objective {
        case .remoteNodes: return traffic.footprint.remoteNodes
        case .remoteCopies: return traffic.footprint.remoteCopies
        }
    }
}
