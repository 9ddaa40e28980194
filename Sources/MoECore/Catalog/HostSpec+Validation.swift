/// Consistency checks of a host layout, shared by the catalog-file reader and the topology builder.
extension HostSpec {
    /// The first inconsistency in the layout (array lengths, indices in range, one NIC per device),
    /// or nil when the layout is sound.
    public var layoutProblem: String? {
        let count = deviceCount
        if count == 0 { return "host \(key) has no devices" }
        if devicePCIeSwitch.count != count {
            return "host \(key): device_pcie_switch has \(devicePCIeSwitch.count) entries, expected \(count)"
        }
        if numaNodes.isEmpty { return "host \(key) has no NUMA nodes" }
        if !deviceNUMANode.allSatisfy({ numaNodes.indices.contains($0) }) {
            return "host \(key): a device names a NUMA node that does not exist"
        }
        if numaDistances.count != numaNodes.count || !numaDistances.allSatisfy({ $0.count == numaNodes.count }) {
            return "host \(key): numa_distances must be \(numaNodes.count) x \(numaNodes.count)"
        }
        if !everyDeviceServedOnce {
            return "host \(key): every device must be served by exactly one NIC"
        }
        if !nics.allSatisfy({ numaNodes.indices.contains($0.numaNode) }) {
            return "host \(key): a NIC names a NUMA node that does not exist"
        }
        if scaleUp.domainHosts <= 0 { return "host \(key): scale-up domain must span at least one host" }
        return nil
    }

    private var everyDeviceServedOnce: Bool {
        nics.flatMap(\.servesDevices).sorted() == Array(0..<deviceCount)
    }
}
