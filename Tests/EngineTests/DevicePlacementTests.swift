import Deployment
import Engine
import MoECore
import Testing
import Topology

@Suite struct DevicePlacementTests {
    /// A fake machine with `count` NUMA nodes numbered `ids`.
    static func machine(nodes ids: [Int]) -> HostTopology {
        HostTopology(
            nodes: ids.map {
                HostTopology.Node(id: $0, cpus: [$0 * 2, $0 * 2 + 1], memoryTotal: .zero, memoryFree: .zero)
            },
            distances: ids.map { a in ids.map { b in a == b ? 10 : 21 } }, source: .sysfs)
    }

    static let devices = (0..<16).map(DeviceID.init)

    @Test func devicesOfASimulatedSocketShareARealNodeAndSocketsSpreadOverTheMachine() throws {
        // Two HGX H800 hosts: GPUs 0-3 of each host on its NUMA node 0, 4-7 on node 1.
        let cluster = try ClusterTopology(hostKey: "hgx-h800", hosts: 2)
        let twoNodes = DevicePlacement.placements(of: Self.devices, in: cluster, on: Self.machine(nodes: [0, 1]))
        #expect(twoNodes.map(\.hostNUMANode) == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(twoNodes.map(\.simulatedHost) == Array(repeating: 0, count: 8) + Array(repeating: 1, count: 8))
        #expect(twoNodes[5].simulatedNUMANode == 1)
        // Four real nodes: each simulated socket of the cluster gets its own.
        let fourNodes = DevicePlacement.placements(
            of: Self.devices, in: cluster, on: Self.machine(nodes: [0, 1, 2, 3]))
        #expect(fourNodes.map(\.hostNUMANode) == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])
        // Node ids need not be contiguous; a one-node machine takes everything.
        let sparse = DevicePlacement.placements(of: Self.devices, in: cluster, on: Self.machine(nodes: [0, 2]))
        #expect(Set(sparse.map(\.hostNUMANode)) == [0, 2])
        #expect(sparse[4].hostNUMANode == 2)
        let one = DevicePlacement.placements(of: Self.devices, in: cluster, on: Self.machine(nodes: [0]))
        #expect(one.allSatisfy { $0.hostNUMANode == 0 })
        let none = DevicePlacement.placements(of: Self.devices, in: cluster, on: Self.machine(nodes: []))
        #expect(none.allSatisfy { $0.hostNUMANode == nil })
    }

    @Test func anEngineOnAFakeTwoNodeLayoutPlacesItsDevicesAndStillServesWhereANodeIsMissing() async throws {
        let scenario = try EngineFixtures.shipped("default.yaml")
        let engine = try ServingEngine(
            scenario: scenario, mock: .init(routesTokens: false),
            configuration: .init(hostTopology: Self.machine(nodes: [0, 1])))
        // Instance 0 holds host 0 and host 1 (16 devices): sockets alternate between the two real nodes.
        #expect(engine.devicePlacements[0].map(\.hostNUMANode) == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1])
        let status = await engine.deviceStatus()
        let local = try HostTopology.current()
        for device in status.flatMap({ $0 }) {
            let node = try #require(device.placement.hostNUMANode)
            if local.nodes.contains(where: { $0.id == node }) && local.source == .libnuma {
                #expect(device.threadBinding == .bound(node: node))
                #expect(device.staging == .numaNode(node))
            } else {
                // This machine lacks the node: the thread runs unbound and the buffer is ordinary memory.
                guard case .unbound = device.threadBinding, case .ordinary = device.staging else {
                    Issue.record("\(device.placement.device) on missing node \(node): \(device)")
                    continue
                }
            }
        }
        let result = try await engine.submit(EngineFixtures.request(1, prompt: 64, output: 3)).collect()
        #expect(result.completion.reason == .stop)
        await engine.shutdown()
    }
}
