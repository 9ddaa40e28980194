/// A server: its accelerators, CPU sockets and NUMA nodes, NICs and the links between them.
///
/// Device, NUMA-node and NIC indices are local to the host (0-based). The topology module turns a
/// cluster of these into a graph that answers bandwidth and latency between any two devices.
public struct HostSpec: Hashable, Sendable {
    /// Catalog key, such as `hgx-h800`.
    public var key: String
    /// Display name.
    public var name: String
    /// Catalog key of the accelerator this host carries.
    public var deviceKey: String
    /// NUMA nodes, indexed by their local id.
    public var numaNodes: [NUMANodeSpec]
    /// NUMA distance matrix as the firmware (ACPI SLIT) reports it: 10 local, larger is farther.
    public var numaDistances: [[Int]]
    /// For each device, the NUMA node its PCIe root hangs off.
    public var deviceNUMANode: [Int]
    /// For each device, the PCIe switch it sits behind (devices and NICs on one switch talk P2P).
    public var devicePCIeSwitch: [Int]
    /// The RDMA NICs for expert-parallel and KV traffic.
    public var nics: [NICSpec]
    /// Bandwidth of the inter-socket link (UPI, HCCS between CPUs) per direction.
    public var interSocketBandwidth: Bandwidth
    /// Scale-up interconnect among devices.
    public var scaleUp: ScaleUpSpec
    /// Where the layout comes from.
    public var source: String

    public init(
        key: String, name: String, deviceKey: String, numaNodes: [NUMANodeSpec], numaDistances: [[Int]],
        deviceNUMANode: [Int], devicePCIeSwitch: [Int], nics: [NICSpec], interSocketBandwidth: Bandwidth,
        scaleUp: ScaleUpSpec, source: String
    ) {
        self.key = key
        self.name = name
        self.deviceKey = deviceKey
        self.numaNodes = numaNodes
        self.numaDistances = numaDistances
        self.deviceNUMANode = deviceNUMANode
        self.devicePCIeSwitch = devicePCIeSwitch
        self.nics = nics
        self.interSocketBandwidth = interSocketBandwidth
        self.scaleUp = scaleUp
        self.source = source
    }

    /// Accelerators in the host.
    public var deviceCount: Int { deviceNUMANode.count }

    /// Host DRAM across all NUMA nodes (capacity of the host tier of the KV cache).
    public var hostMemory: Bytes { numaNodes.reduce(.zero) { $0 + $1.memory } }
}

/// One NUMA node of a host: a socket (or part of one), its cores and its local DRAM.
public struct NUMANodeSpec: Hashable, Sendable {
    /// The CPU socket this node belongs to.
    public var socket: Int
    /// CPU cores local to this node.
    public var cpuCores: Int
    /// DRAM local to this node.
    public var memory: Bytes

    public init(socket: Int, cpuCores: Int, memory: Bytes) {
        self.socket = socket
        self.cpuCores = cpuCores
        self.memory = memory
    }
}

/// An RDMA NIC of a host.
public struct NICSpec: Hashable, Sendable {
    /// Line rate per direction.
    public var bandwidth: Bandwidth
    /// The NUMA node the NIC's PCIe root hangs off.
    public var numaNode: Int
    /// The PCIe switch the NIC sits behind.
    public var pcieSwitch: Int
    /// Devices whose scale-out traffic this NIC carries.
    public var servesDevices: [Int]

    public init(bandwidth: Bandwidth, numaNode: Int, pcieSwitch: Int, servesDevices: [Int]) {
        self.bandwidth = bandwidth
        self.numaNode = numaNode
        self.pcieSwitch = pcieSwitch
        self.servesDevices = servesDevices
    }
}

/// The scale-up interconnect among devices (NVLink, HCCS, UB).
public struct ScaleUpSpec: Hashable, Sendable {
    /// The interconnect family.
    public var kind: ScaleUpKind
    /// How many hosts one scale-up domain spans: 1 for an HGX node, 48 for a CloudMatrix384 supernode.
    public var domainHosts: Int

    public init(kind: ScaleUpKind, domainHosts: Int) {
        self.kind = kind
        self.domainHosts = domainHosts
    }
}

/// Scale-up interconnect families.
public enum ScaleUpKind: String, Hashable, Sendable, CaseIterable {
    case nvlink, hccs, ub
}
