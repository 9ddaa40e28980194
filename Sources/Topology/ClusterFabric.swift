import MoECore

/// A device of one pool of a cluster made of several host pools.
public struct PooledDeviceID: Hashable, Sendable, CustomStringConvertible {
    /// The pool's index.
    public var pool: Int
    /// The device within its pool's topology.
    public var device: DeviceID

    /// Names device `device` of pool `pool`.
    public init(pool: Int, device: DeviceID) {
        self.pool = pool
        self.device = device
    }

    public var description: String { pool == 0 ? device.description : "pool\(pool).\(device)" }
}

/// A cluster of one or more pools of identical hosts (each a ``ClusterTopology``) on one scale-out fabric:
/// what lets Ascend prefill instances feed H800 decode instances. It answers the KV-transfer path between
/// devices of any pools and numbers every NIC of the cluster.
public struct ClusterFabric: Sendable {
    /// The pools, in order.
    public let pools: [ClusterTopology]
    /// Index of each pool's first NIC in the cluster-wide numbering.
    private let nicOffsets: [Int]

    /// Joins `pools` on one fabric.
    public init(pools: [ClusterTopology]) {
        precondition(!pools.isEmpty, "a cluster needs at least one pool")
        self.pools = pools
        var offsets: [Int] = []
        var total = 0
        for pool in pools {
            offsets.append(total)
            total += pool.nicCount
        }
        nicOffsets = offsets
        nicCount = total
    }

    /// NICs in the whole cluster.
    public let nicCount: Int

    /// The path KV cache bytes take from `source` to `destination`: ``ClusterTopology/kvTransferPath(from:to:)``
    /// within a pool; across pools, RDMA through both NICs at the slower access bandwidth, with each device's
    /// share of the NIC latency and the slower fabric's latency.
    public func kvTransferPath(from source: PooledDeviceID, to destination: PooledDeviceID) -> DevicePath {
        if source.pool == destination.pool {
            return pools[source.pool].kvTransferPath(from: source.device, to: destination.device)
        }
        let from = pools[source.pool]
        let to = pools[destination.pool]
        let (sourceBandwidth, sourceCrosses) = from.scaleOutAccess(of: source.device)
        let (destinationBandwidth, destinationCrosses) = to.scaleOutAccess(of: destination.device)
        let nicLatency = SimDuration(
            nanoseconds: (from.device.scaleOutLatency.nanoseconds + to.device.scaleOutLatency.nanoseconds) / 2)
        return DevicePath(
            kind: .scaleOut, bandwidth: min(sourceBandwidth, destinationBandwidth),
            latency: nicLatency + max(from.cluster.fabric.latency, to.cluster.fabric.latency),
            crossesSocket: sourceCrosses || destinationCrosses)
    }

    /// The cluster-wide index of the NIC carrying `device`'s scale-out traffic.
    public func nicIndex(serving device: PooledDeviceID) -> Int {
        nicOffsets[device.pool] + pools[device.pool].nicIndex(serving: device.device)
    }

    /// The cluster-wide indices of the NICs of the host holding `device`.
    public func nicsOfHost(holding device: PooledDeviceID) -> Range<Int> {
        let pool = pools[device.pool]
        let first = nicOffsets[device.pool] + pool.location(of: device.device).host * pool.host.nics.count
        return first..<(first + pool.host.nics.count)
    }
}
