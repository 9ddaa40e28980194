import MoECore
import Topology

/// Where a simulated device's work runs on this machine: the NUMA node its worker thread is bound to and
/// its host buffers are allocated on.
///
/// A simulated cluster has many hosts, each with its own NUMA nodes (an HGX H800 node: GPUs 0-3 on node 0,
/// 4-7 on node 1); this machine has its own, usually fewer. Simulated nodes are numbered across the
/// cluster (host 0's nodes first, then host 1's) and folded onto this machine's nodes modulo their count,
/// so devices that share a simulated node share a real one, devices of different simulated sockets land
/// on different real nodes whenever the machine has more than one, and the load spreads evenly.
public struct DevicePlacement: Hashable, Sendable {
    /// The simulated device.
    public var device: DeviceID
    /// Its host in the simulated cluster.
    public var simulatedHost: Int
    /// Its NUMA node within that simulated host.
    public var simulatedNUMANode: Int
    /// The NUMA node id on this machine its worker and buffers use, or nil when the machine reports none.
    public var hostNUMANode: Int?

    /// Creates a placement.
    public init(device: DeviceID, simulatedHost: Int, simulatedNUMANode: Int, hostNUMANode: Int?) {
        self.device = device
        self.simulatedHost = simulatedHost
        self.simulatedNUMANode = simulatedNUMANode
        self.hostNUMANode = hostNUMANode
    }

    /// The placements of `devices` of the simulated `cluster` on the machine described by `host`.
    public static func placements(of devices: [DeviceID], in cluster: ClusterTopology, on host: HostTopology)
        -> [DevicePlacement]
    {
        let nodesPerSimulatedHost = cluster.host.numaNodes.count
        return devices.map { device in
            let location = cluster.location(of: device)
            let clusterWideNode = location.host * nodesPerSimulatedHost + location.numaNode
            let hostNode = host.nodes.isEmpty ? nil : host.nodes[clusterWideNode % host.nodes.count].id
            return DevicePlacement(
                device: device, simulatedHost: location.host, simulatedNUMANode: location.numaNode,
                hostNUMANode: hostNode)
        }
    }
}
