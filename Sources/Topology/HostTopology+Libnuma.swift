import CNUMA
import MoECore

/// Reading the layout through libnuma.
extension HostTopology {
    /// The layout as libnuma reports it. Call only when `numa_available() >= 0`.
    static func readLibnuma() -> HostTopology {
        let ids = (0...Int(numa_max_node())).filter { numa_bitmask_isbitset(cnuma_all_nodes(), UInt32($0)) != 0 }
        let possibleCPUs = Int(numa_num_possible_cpus())
        let cpuMask = numa_allocate_cpumask()
        defer { numa_free_cpumask(cpuMask) }
        let nodes = ids.map { id in
            numa_bitmask_clearall(cpuMask)
            _ = numa_node_to_cpus(Int32(id), cpuMask)
            let cpus = (0..<possibleCPUs).filter { numa_bitmask_isbitset(cpuMask, UInt32($0)) != 0 }
            var free: Int64 = 0
            let total = numa_node_size64(Int32(id), &free)
            return Node(id: id, cpus: cpus, memoryTotal: Bytes(max(0, total)), memoryFree: Bytes(max(0, free)))
        }
        let distances = ids.map { from in ids.map { to in Int(numa_distance(Int32(from), Int32(to))) } }
        return HostTopology(nodes: nodes, distances: distances, source: .libnuma)
    }
}
