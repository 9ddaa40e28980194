import Topology

/// The devices of one instance's expert-parallel group, a consecutive range of a cluster topology,
/// grouped by the nodes (hosts) they sit on. Nodes are renumbered from 0 in the order the range
/// reaches them.
public struct InstanceDevices: Sendable {
    /// The cluster.
    public let topology: ClusterTopology
    /// The cluster-wide index of the instance's first device.
    public let offset: Int
    /// Devices in the instance.
    public let count: Int
    /// For each instance device, the index of its node among the instance's nodes.
    public let node: [Int]
    /// Instance devices on each of the instance's nodes.
    public let devicesPerNode: [Int]
    /// For each instance device, whether its scale-out traffic crosses a CPU socket to reach its NIC.
    public let nicCrossesSocket: [Bool]

    /// The `count` devices of `topology` from `offset` on.
    /// - Precondition: the range lies inside the topology.
    public init(topology: ClusterTopology, offset: Int, count: Int) {
        precondition(
            offset >= 0 && count > 0 && offset + count <= topology.deviceCount, "device range outside topology")
        self.topology = topology
        self.offset = offset
        self.count = count
        let firstHost = topology.location(of: DeviceID(offset)).host
        node = (0..<count).map { topology.location(of: DeviceID(offset + $0)).host - firstHost }
        var perNode = [Int](repeating: 0, count: (node.last ?? 0) + 1)
        for index in node { perNode[index] += 1 }
        devicesPerNode = perNode
        nicCrossesSocket = (0..<count).map { topology.nicAccessCrossesSocket(DeviceID(offset + $0)) }
    }

    /// Nodes the instance spans.
    public var nodes: Int { devicesPerNode.count }

    /// The cluster-wide id of instance device `index`.
    public func deviceID(_ index: Int) -> DeviceID { DeviceID(offset + index) }

    /// Whether every node carries the same number of the instance's devices.
    public var isEvenlySpread: Bool { devicesPerNode.allSatisfy { $0 == devicesPerNode[0] } }
}
