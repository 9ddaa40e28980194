import MoECore
import PerfModel
import Testing
import Topology

@testable import Placement

/// Where token copies go under a layout: consistent with the communication model's statistics when
/// nothing is special, and lower when replicas sit on every node or groups sit on one node.
@Suite struct TrafficModelTests {
    static func model(devices: Int, catalog: Catalog = .builtin, hostKey: String = "hgx-h800") throws -> TrafficModel {
        let topology = try ClusterTopology(hostKey: hostKey, hosts: (devices + 7) / 8, catalog: catalog)
        return TrafficModel(
            instance: InstanceDevices(topology: topology, offset: 0, count: devices),
            routing: ExpertRouting(model: Catalog.deepSeekV3)!)
    }

    @Test(arguments: [32, 144])
    func uniformLoadsOnContiguousExpertsAgreeWithTheRoutingStatistics(devices: Int) throws {
        let model = try Self.model(devices: devices)
        let layout = LayerLayout.noReplication(
            experts: 256, devices: devices, slotsPerDevice: (256 + devices - 1) / devices)
        let traffic = model.traffic(loads: Array(repeating: 1, count: 256), layout: layout, deviceDetail: true)
        let request = try Fixtures.request(devices: devices, redundant: 0, loads: Fixtures.uniformLoads())
        let uniform = try PlacementPlanner(request).stepTimeModel.communication.uniformFootprint
        // Independent group choices approximate drawing 4 of 8 groups: within 10%.
        #expect(abs(traffic.footprint.remoteNodes / uniform.remoteNodes - 1) < 0.10, "\(traffic.footprint)")
        // Evenly spread experts: a copy stays on the sender's node with probability 1 / nodes.
        let nodes = Double(devices / 8)
        #expect(abs(traffic.footprint.remoteCopies - 8 * (1 - 1 / nodes)) < 1e-9)
        #expect(abs(traffic.footprint.remoteCopies + traffic.footprint.localCopies * 8 / 7 - 8) < 1e-9)
        #expect(abs(traffic.remoteCopiesReceived.reduce(0, +) - traffic.footprint.remoteCopies) < 1e-9)
    }

    @Test func aReplicaOnEveryNodeKeepsAHotExpertsTokensOnTheNode() throws {
        // Two nodes, 17 slots per device: 16 experts each plus one extra slot. Expert 0 takes a third
        // of all tokens; its extra replicas go on both nodes, or on node 0 only.
        let model = try Self.model(devices: 16)
        var loads = [Double](repeating: 1, count: 256)
        loads[0] = 128
        func layout(extra: (Int) -> Int) -> LayerLayout {
            var map = [Int]()
            for device in 0..<16 { map += Array((device * 16)..<((device + 1) * 16)) + [extra(device)] }
            return LayerLayout(slotsPerDevice: 17, experts: map)
        }
        let everyNode = layout { $0 == 0 ? 1 : 0 }
        let oneNode = layout { $0 == 0 ? 1 : ($0 < 8 ? 0 : 2 + $0) }
        let spread = model.traffic(loads: loads, layout: everyNode, deviceDetail: false).footprint
        let packed = model.traffic(loads: loads, layout: oneNode, deviceDetail: false).footprint
        #expect(spread.remoteCopies < packed.remoteCopies - 0.5, "\(spread.remoteCopies) vs \(packed.remoteCopies)")
    }

    @Test func groupsKeptOnOneNodeReachFewerNodes() throws {
        let model = try Self.model(devices: 32)
        let aligned = LayerLayout.noReplication(experts: 256, devices: 32, slotsPerDevice: 8)
        // The same experts with groups dealt round-robin over the nodes.
        let scattered = LayerLayout(slotsPerDevice: 8, experts: (0..<256).map { ($0 % 32) * 8 + $0 / 32 })
        let loads = [Double](repeating: 1, count: 256)
        let near = model.traffic(loads: loads, layout: aligned, deviceDetail: false).footprint.remoteNodes
        let far = model.traffic(loads: loads, layout: scattered, deviceDetail: false).footprint.remoteNodes
        #expect(near < far - 0.3, "aligned \(near), scattered \(far)")
    }

    @Test func interSocketTrafficOnlyWhereTheNICHangsOffTheOtherSocket() throws {
        let loads = ExpertLoads.zipf(model: Catalog.deepSeekV3, exponent: 1, tokens: 100_000, seed: 3)
        func plan(_ catalog: Catalog, _ hostKey: String) throws -> (PlacementPlan, InstanceDevices) {
            let topology = try ClusterTopology(hostKey: hostKey, hosts: 2, catalog: catalog)
            let request = try PlacementRequest(
                model: Catalog.deepSeekV3, topology: topology, devices: 16, redundantExperts: 16, loads: loads,
                phase: .decode)
            let planner = try PlacementPlanner(request)
            return (try planner.plan(.planner), planner.instance)
        }
        let (hgx, _) = try plan(.builtin, "hgx-h800")
        #expect(hgx.metrics.interSocketBytes == .zero)
        let (crossing, instance) = try plan(Fixtures.oneSocketNICCatalog, "hgx-h800-one-socket-nics")
        #expect(instance.nicCrossesSocket == (0..<16).map { $0 % 8 >= 4 })
        #expect(crossing.metrics.interSocketBytes.count > 0)
        // The lighter device contents of each node sit on the devices that cross the socket.
        for shares in crossing.metrics.deviceLoadShares {
            for node in 0..<2 {
                let local = shares[(node * 8)..<(node * 8 + 4)]
                let remote = shares[(node * 8 + 4)..<(node * 8 + 8)]
                #expect(remote.max()! <= local.min()! + 1e-12)
            }
        }
    }
}
