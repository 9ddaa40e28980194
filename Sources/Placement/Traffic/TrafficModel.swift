import Foundation
import PerfModel

/// Where one layer's routed token copies travel under a layout: the ``RouteFootprint`` the
/// communication model turns into bytes and time, and how much NIC traffic each device receives.
///
/// The model, from the per-expert loads alone:
/// - tokens start evenly on all devices (each attention rank holds its own sequences);
/// - a token picks `groupsPerToken` groups, group `g` with probability `groupsPerToken × load(g) /
///   load` (capped at 1), and sends `expertsPerToken / groupsPerToken` copies into each, to expert `e`
///   with probability `load(e) / load(g)`; groups are picked independently, so a token reaches at most
///   the nodes of its groups only on average, which is what the group limit guarantees;
/// - a copy goes to a replica on the sender's node when one exists: node `n` serves its own tokens up
///   to the token share its replicas hold, and tokens its replicas cannot take go to the nodes whose
///   replicas hold more than their own tokens need, in proportion to that excess (a transport plan
///   that respects every replica's share).
struct TrafficModel: Sendable {
    let instance: InstanceDevices
    let routing: ExpertRouting

    /// One layer's traffic.
    struct LayerTraffic {
        /// Per token sent by a device, averaged over the instance's devices.
        var footprint: RouteFootprint
        /// Per token sent by a device on each node: distinct remote nodes reached, and copies to them.
        var remoteNodesBySourceNode: [Double]
        var remoteCopiesBySourceNode: [Double]
        /// Copies each device receives from other nodes per token sent by an average device (summing
        /// to the footprint's remote copies); empty unless device detail was asked for.
        var remoteCopiesReceived: [Double]
    }

    /// The traffic of `layout` under `loads`. Device detail (devices reached, copies received) costs
    /// O(nodes × devices × groups); without it the footprint's device fields are zero.
    func traffic(loads: [Double], layout: LayerLayout, deviceDetail: Bool) -> LayerTraffic {
        let nodes = instance.nodes
        let devices = instance.count
        let experts = routing.experts
        let groups = routing.groups
        let total = loads.reduce(0, +)
        let nodeWeights = instance.devicesPerNode.map { Double($0) / Double(devices) }
        guard total > 0 else {
            let zero = RouteFootprint(
                remoteNodes: 0, forwardedDevices: 0, otherDevices: 0, remoteCopies: 0, localCopies: 0)
            return LayerTraffic(
                footprint: zero, remoteNodesBySourceNode: Array(repeating: 0, count: nodes),
                remoteCopiesBySourceNode: Array(repeating: 0, count: nodes),
                remoteCopiesReceived: deviceDetail ? Array(repeating: 0, count: devices) : [])
        }
        var groupLoads = [Double](repeating: 0, count: groups)
        for expert in 0..<experts { groupLoads[routing.group(of: expert)] += loads[expert] }
        let copiesPerGroup = Double(routing.expertsPerToken) / Double(routing.groupsPerToken)
        let groupChance = groupLoads.map { min(1, Double(routing.groupsPerToken) * $0 / total) }
        // Probability a copy into its group goes to the expert, and copies per token.
        let withinGroup = (0..<experts).map {
            groupLoads[routing.group(of: $0)] > 0 ? loads[$0] / groupLoads[routing.group(of: $0)] : 0
        }
        let copies = (0..<experts).map { groupChance[routing.group(of: $0)] * copiesPerGroup * withinGroup[$0] }

        // Token share each node's replicas of each expert hold, and the share of the copies a node
        // cannot keep that goes to each other node (its excess over its own tokens' need).
        let slotExperts = layout.experts
        let slotShares = layout.shares
        let slotsPerDevice = layout.slotsPerDevice
        let deviceNode = instance.node
        let supply = Self.supply(experts: experts, nodes: nodes, layout: layout, deviceNode: deviceNode)
        var remoteShare = [Double](repeating: 0, count: experts * nodes)
        // Nodes holding each expert, flattened: `holders[holderStart[e]..<holderStart[e + 1]]`.
        var holderStart = [Int](repeating: 0, count: experts + 1)
        var holders = [Int]()
        for expert in 0..<experts {
            var excessTotal = 0.0
            for node in 0..<nodes {
                let excess = max(supply[expert * nodes + node] - nodeWeights[node], 0)
                remoteShare[expert * nodes + node] = excess
                excessTotal += excess
                if supply[expert * nodes + node] > 0 { holders.append(node) }
            }
            holderStart[expert + 1] = holders.count
            for node in 0..<nodes { remoteShare[expert * nodes + node] /= excessTotal > 0 ? excessTotal : 1 }
        }

        var footprint = RouteFootprint(
            remoteNodes: 0, forwardedDevices: 0, otherDevices: 0, remoteCopies: 0, localCopies: 0)
        var remoteNodesBySource = [Double](repeating: 0, count: nodes)
        var remoteCopiesBySource = [Double](repeating: 0, count: nodes)
        var received = [Double](repeating: 0, count: deviceDetail ? devices : 0)
        var reachNode = [Double](repeating: 0, count: groups * nodes)
        var reachDevice = [Double](repeating: 0, count: deviceDetail ? groups * devices : 0)
        var localShare = [Double](repeating: 0, count: experts)
        let devicesPerHost = Double(min(devices, instance.topology.devicesPerHost))

        for source in 0..<nodes where nodeWeights[source] > 0 {
            let weight = nodeWeights[source]
            let localDevices = Double(instance.devicesPerNode[source])
            for index in reachNode.indices { reachNode[index] = 0 }
            var remoteCopies = 0.0
            var localCopies = 0.0
            // The share of an expert's copies from `source` that stays on it, for each expert.
            for expert in 0..<experts {
                let local = min(1, supply[expert * nodes + source] / weight)
                localShare[expert] = local
                remoteCopies += copies[expert] * (1 - local)
                localCopies += copies[expert] * local * (1 - 1 / localDevices)
                let row = routing.group(of: expert) * nodes
                for index in holderStart[expert]..<holderStart[expert + 1] {
                    let holder = holders[index]
                    let toNode = holder == source ? local : (1 - local) * remoteShare[expert * nodes + holder]
                    reachNode[row + holder] += withinGroup[expert] * toNode
                }
            }
            var remoteNodes = 0.0
            for node in 0..<nodes where node != source {
                remoteNodes += reached(reachNode, column: node, stride: nodes, groupChance, copiesPerGroup)
            }
            remoteNodesBySource[source] = remoteNodes
            remoteCopiesBySource[source] = remoteCopies
            footprint.remoteNodes += weight * remoteNodes
            footprint.remoteCopies += weight * remoteCopies
            footprint.localCopies += weight * localCopies

            guard deviceDetail else { continue }
            for index in reachDevice.indices { reachDevice[index] = 0 }
            for slot in slotExperts.indices {
                let expert = slotExperts[slot]
                let device = slot / slotsPerDevice
                let node = deviceNode[device]
                let nodeSupply = supply[expert * nodes + node]
                guard nodeSupply > 0 else { continue }
                let local = localShare[expert]
                let toNode = node == source ? local : (1 - local) * remoteShare[expert * nodes + node]
                let toSlot = toNode * slotShares[slot] / nodeSupply
                reachDevice[routing.group(of: expert) * devices + device] += withinGroup[expert] * toSlot
                if node != source { received[device] += weight * copies[expert] * toSlot }
            }
            var allDevices = 0.0
            var ownNodeDevices = 0.0
            for device in 0..<devices {
                let reach = reached(reachDevice, column: device, stride: devices, groupChance, copiesPerGroup)
                allDevices += reach
                if deviceNode[device] == source { ownNodeDevices += reach }
            }
            footprint.otherDevices += weight * (allDevices - ownNodeDevices / localDevices)
            footprint.forwardedDevices += weight * allDevices * (1 - 1 / devicesPerHost)
        }
        return LayerTraffic(
            footprint: footprint, remoteNodesBySourceNode: remoteNodesBySource,
            remoteCopiesBySourceNode: remoteCopiesBySource, remoteCopiesReceived: received)
    }

    /// The token share of each expert (row) that each node's replicas (column) hold.
    private static func supply(experts: Int, nodes: Int, layout: LayerLayout, deviceNode: [Int]) -> [Double] {
        var supply = [Double](repeating: 0, count: experts * nodes)
        for slot in layout.experts.indices {
            supply[layout.experts[slot] * nodes + deviceNode[slot / layout.slotsPerDevice]] += layout.shares[slot]
        }
        return supply
    }

    /// Probability a token reaches a destination that receives fraction `share[g * stride + column]`
    /// of the copies into each group `g`.
    @inline(__always)
    private func reached(
        _ share: [Double], column: Int, stride: Int, _ groupChance: [Double], _ copiesPerGroup: Double
    ) -> Double {
        var missed = 1.0
        for group in groupChance.indices {
            let chance = groupChance[group]
            let inGroup = share[group * stride + column]
            guard chance > 0, inGroup > 0 else { continue }
            let stay = max(1 - inGroup, 0)
            missed *= 1 - chance + chance * (copiesPerGroup == 2 ? stay * stay : pow(stay, copiesPerGroup))
        }
        return 1 - missed
    }
}
