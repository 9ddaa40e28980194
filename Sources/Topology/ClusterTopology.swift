import MoECore

/// Identifies a device in a simulated cluster: hosts are numbered from 0 and devices within a host
/// from 0, so device `d` of host `h` is `h * devicesPerHost + d`.
public struct DeviceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The cluster-wide index.
    public var index: Int

    public init(_ index: Int) { self.index = index }

    public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool { lhs.index < rhs.index }
    public var description: String { "dev\(index)" }
}

/// Where a device sits: its host, and within the host its NUMA node, socket, PCIe switch and NIC.
public struct DeviceLocation: Hashable, Sendable {
    /// The host (node) index in the cluster.
    public var host: Int
    /// The device's index within its host.
    public var localIndex: Int
    /// The NUMA node (local to the host) the device's PCIe root hangs off.
    public var numaNode: Int
    /// The CPU socket of that NUMA node.
    public var socket: Int
    /// The PCIe switch the device sits behind.
    public var pcieSwitch: Int
    /// The index (local to the host) of the NIC that carries the device's scale-out traffic.
    public var nic: Int
}

/// How traffic between two devices travels.
public enum PathKind: Int, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Source and destination are the same device: no transfer.
    case sameDevice
    /// Over the scale-up interconnect (NVLink, HCCS, UB), within a host or a supernode.
    case scaleUp
    /// Over the NICs and the scale-out fabric, between hosts.
    case scaleOut

    public static func < (lhs: PathKind, rhs: PathKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .sameDevice: "same device"
        case .scaleUp: "scale-up"
        case .scaleOut: "scale-out"
        }
    }
}

/// A point-to-point path between two devices: its kind, bottleneck bandwidth and one-way latency.
public struct DevicePath: Hashable, Sendable {
    /// How the traffic travels.
    public var kind: PathKind
    /// Bottleneck bandwidth per direction.
    public var bandwidth: Bandwidth
    /// One-way latency.
    public var latency: SimDuration
    /// Whether the path crosses a CPU socket boundary (a device reaching a NIC on the other socket).
    public var crossesSocket: Bool
}

/// A simulated cluster as a graph of devices, NUMA nodes, NICs and links: hosts of one kind joined
/// by a fabric. It answers bandwidth and latency between any two devices and which NIC and NUMA node
/// serve a device.
///
/// All answers are computed once at construction into flat arrays, so queries are O(1).
public struct ClusterTopology: Sendable {
    /// The cluster description.
    public let cluster: ClusterSpec
    /// The host every node is.
    public let host: HostSpec
    /// The device every host carries.
    public let device: DeviceSpec
    /// Each device's location, indexed by ``DeviceID/index``.
    public let locations: [DeviceLocation]

    /// Builds the topology of `cluster`, resolving its host and device in `catalog`.
    /// - Throws: ``TopologyError`` when a key is unknown or the host layout is inconsistent.
    public init(cluster: ClusterSpec, catalog: Catalog = .builtin) throws {
        guard let host = catalog.host(cluster.hostKey) else {
            throw TopologyError.unknownHost(cluster.hostKey, known: catalog.hosts.map(\.key))
        }
        guard let device = catalog.device(host.deviceKey) else {
            throw TopologyError.unknownDevice(host.deviceKey, host: host.key, known: catalog.devices.map(\.key))
        }
        guard cluster.hosts > 0 else { throw TopologyError.invalidLayout("cluster \(cluster.key) has no hosts") }
        try Self.validate(host)
        self.cluster = cluster
        self.host = host
        self.device = device
        var nicOfDevice = [Int](repeating: 0, count: host.deviceCount)
        for (nicIndex, nic) in host.nics.enumerated() {
            for served in nic.servesDevices { nicOfDevice[served] = nicIndex }
        }
        locations = (0..<cluster.hosts).flatMap { hostIndex in
            (0..<host.deviceCount).map { local in
                let numa = host.deviceNUMANode[local]
                return DeviceLocation(
                    host: hostIndex, localIndex: local, numaNode: numa, socket: host.numaNodes[numa].socket,
                    pcieSwitch: host.devicePCIeSwitch[local], nic: nicOfDevice[local])
            }
        }
    }

    /// A cluster of `hosts` nodes of the host `hostKey` on that host's usual fabric.
    public init(hostKey: String, hosts: Int, catalog: Catalog = .builtin) throws {
        guard let host = catalog.host(hostKey) else {
            throw TopologyError.unknownHost(hostKey, known: catalog.hosts.map(\.key))
        }
        let cluster = ClusterSpec(
            key: "\(hosts)x-\(hostKey)", hostKey: hostKey, hosts: hosts, fabric: Catalog.defaultFabric(for: host))
        try self.init(cluster: cluster, catalog: catalog)
    }

    /// Devices in the cluster.
    public var deviceCount: Int { locations.count }
    /// Devices per host.
    public var devicesPerHost: Int { host.deviceCount }
    /// Hosts in the cluster.
    public var hostCount: Int { cluster.hosts }

    /// The location of `device`.
    public func location(of device: DeviceID) -> DeviceLocation { locations[device.index] }

    /// The NIC that carries `device`'s scale-out traffic.
    public func nic(serving device: DeviceID) -> NICSpec { host.nics[locations[device.index].nic] }

    /// Whether `a` and `b` share a scale-up domain (the same host, or the same supernode).
    public func shareScaleUpDomain(_ a: DeviceID, _ b: DeviceID) -> Bool {
        let domain = host.scaleUp.domainHosts
        return locations[a.index].host / domain == locations[b.index].host / domain
    }

    /// The path from `source` to `destination`.
    public func path(from source: DeviceID, to destination: DeviceID) -> DevicePath {
        if source == destination {
            return DevicePath(
                kind: .sameDevice, bandwidth: device.memoryBandwidth, latency: .zero, crossesSocket: false)
        }
        let from = locations[source.index]
        let to = locations[destination.index]
        if shareScaleUpDomain(source, destination) {
            let latency = from.host == to.host ? device.scaleUpLatency : device.scaleUpLatency + cluster.fabric.latency
            return DevicePath(
                kind: .scaleUp, bandwidth: device.scaleUpBandwidth, latency: latency, crossesSocket: false)
        }
        let (sourceBandwidth, sourceCrosses) = nicAccess(from)
        let (destinationBandwidth, destinationCrosses) = nicAccess(to)
        return DevicePath(
            kind: .scaleOut, bandwidth: min(sourceBandwidth, destinationBandwidth),
            latency: device.scaleOutLatency + cluster.fabric.latency,
            crossesSocket: sourceCrosses || destinationCrosses)
    }

    /// Bottleneck bandwidth from `source` to `destination`.
    public func bandwidth(from source: DeviceID, to destination: DeviceID) -> Bandwidth {
        path(from: source, to: destination).bandwidth
    }

    /// One-way latency from `source` to `destination`.
    public func latency(from source: DeviceID, to destination: DeviceID) -> SimDuration {
        path(from: source, to: destination).latency
    }

    /// Bandwidth from host DRAM on `numaNode` (of the device's own host) into `device`, and whether
    /// the copy crosses sockets (a remote-NUMA host tier is limited by the inter-socket link).
    public func hostMemoryPath(to device: DeviceID, fromNUMANode numaNode: Int) -> (Bandwidth, crossesSocket: Bool) {
        let location = locations[device.index]
        let crosses = host.numaNodes[numaNode].socket != location.socket
        let pcie = self.device.hostLinkBandwidth
        return (crosses ? min(pcie, host.interSocketBandwidth) : pcie, crosses)
    }

    /// Whether `device` reaches the NIC that carries its scale-out traffic across a CPU socket (the
    /// NIC hangs off the other socket), so that every byte it sends or receives over the fabric also
    /// crosses the inter-socket link.
    public func nicAccessCrossesSocket(_ device: DeviceID) -> Bool {
        nicAccess(locations[device.index]).1
    }

    /// The bandwidth a device reaches its NIC with, and whether that crosses sockets.
    private func nicAccess(_ location: DeviceLocation) -> (Bandwidth, Bool) {
        scaleOutAccess(of: DeviceID(location.host * devicesPerHost + location.localIndex))
    }

    private static func validate(_ host: HostSpec) throws {
        if let problem = host.layoutProblem { throw TopologyError.invalidLayout(problem) }
    }
}
