/// The built-in hosts and clusters.
extension Catalog {
    /// An HGX 8-GPU node: two sockets, GPUs 0-3 on NUMA node 0 and 4-7 on node 1, each GPU sharing a
    /// PCIe Gen5 switch with its own 400G NIC; UPI between sockets.
    public static func hgx(deviceKey: String, nicBandwidth: Bandwidth = .gigabitsPerSecond(400), gpusPerNIC: Int = 1)
        -> HostSpec
    {
        let devices = 0..<8
        let nics = stride(from: 0, to: 8, by: gpusPerNIC).map { first in
            NICSpec(
                bandwidth: nicBandwidth, numaNode: first / 4, pcieSwitch: first,
                servesDevices: Array(first..<(first + gpusPerNIC)))
        }
        return HostSpec(
            key: "hgx-\(deviceKey)", name: "HGX 8x \(deviceKey.uppercased())", deviceKey: deviceKey,
            numaNodes: [
                NUMANodeSpec(socket: 0, cpuCores: 56, memory: .gigabytes(1024)),
                NUMANodeSpec(socket: 1, cpuCores: 56, memory: .gigabytes(1024)),
            ],
            numaDistances: [[10, 21], [21, 10]],
            deviceNUMANode: devices.map { $0 / 4 },
            devicePCIeSwitch: devices.map { ($0 / gpusPerNIC) * gpusPerNIC },
            nics: nics, interSocketBandwidth: .gigabytesPerSecond(128),
            scaleUp: ScaleUpSpec(kind: .nvlink, domainHosts: 1),
            source: "NVIDIA HGX reference layout; UPI 4 x 16 GT/s [U]; DRAM 2 TB assumed")
    }

    /// Atlas 800T A2: eight Ascend 910B in an HCCS full mesh, one 200GE RoCE port each, Kunpeng 920
    /// CPUs with two NUMA nodes per socket (two sockets assumed; reported as 2 or 4 [U]).
    public static let atlas800TA2 = HostSpec(
        key: "atlas-800t-a2", name: "Huawei Atlas 800T A2 (8x 910B)", deviceKey: "ascend-910b",
        numaNodes: (0..<4).map { NUMANodeSpec(socket: $0 / 2, cpuCores: 24, memory: .gigabytes(256)) },
        numaDistances: [[10, 12, 20, 22], [12, 10, 22, 20], [20, 22, 10, 12], [22, 20, 12, 10]],
        deviceNUMANode: (0..<8).map { $0 / 2 }, devicePCIeSwitch: Array(0..<8),
        nics: (0..<8).map {
            NICSpec(bandwidth: .gigabitsPerSecond(200), numaNode: $0 / 2, pcieSwitch: $0, servesDevices: [$0])
        },
        interSocketBandwidth: .gigabytesPerSecond(60), scaleUp: ScaleUpSpec(kind: .hccs, domainHosts: 1),
        source: "Huawei Atlas 800T A2 data; socket count and distances [U]")

    /// A CloudMatrix384 node: eight Ascend 910C and four Kunpeng CPUs in a full-mesh NUMA; the UB
    /// fabric joins 48 such nodes into one 384-NPU scale-up domain.
    public static let cloudMatrix384Node = HostSpec(
        key: "cloudmatrix384-node", name: "CloudMatrix384 node (8x 910C)", deviceKey: "ascend-910c",
        numaNodes: (0..<4).map { NUMANodeSpec(socket: $0, cpuCores: 48, memory: .gigabytes(384)) },
        numaDistances: (0..<4).map { a in (0..<4).map { b in a == b ? 10 : 16 } },
        deviceNUMANode: (0..<8).map { $0 / 2 }, devicePCIeSwitch: Array(0..<8),
        nics: (0..<8).map {
            NICSpec(bandwidth: .gigabitsPerSecond(400), numaNode: $0 / 2, pcieSwitch: $0, servesDevices: [$0])
        },
        interSocketBandwidth: .gigabytesPerSecond(100), scaleUp: ScaleUpSpec(kind: .ub, domainHosts: 48),
        source: "CloudMatrix384 paper (arXiv 2506.12708) [S]; NUMA distances and DRAM [U]")

    /// Every built-in host.
    public static let builtinHosts: [HostSpec] = [
        hgx(deviceKey: "h800"), hgx(deviceKey: "h100"), hgx(deviceKey: "h200"),
        hgx(deviceKey: "h20", nicBandwidth: .gigabitsPerSecond(400), gpusPerNIC: 2),
        atlas800TA2, cloudMatrix384Node,
    ]

    /// The fabric a host kind is normally deployed on.
    public static func defaultFabric(for host: HostSpec) -> FabricSpec {
        switch host.scaleUp.kind {
        case .nvlink: FabricSpec(kind: .infiniband, latency: .microseconds(3))
        case .hccs: FabricSpec(kind: .roce, latency: .microseconds(5))
        case .ub: FabricSpec(kind: .ub, latency: .microseconds(1))
        }
    }

    /// Built-in clusters: the CloudMatrix384 supernode (48 nodes on UB).
    public static let builtinClusters: [ClusterSpec] = [
        ClusterSpec(
            key: "cloudmatrix384", hostKey: cloudMatrix384Node.key, hosts: 48,
            fabric: defaultFabric(for: cloudMatrix384Node))
    ]
}
