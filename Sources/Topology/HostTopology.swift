import CNUMA
import MoECore

/// This machine's NUMA layout: its nodes, the CPUs and memory of each, and the distance matrix.
///
/// ``current()`` asks libnuma and falls back to `/sys/devices/system/node` when libnuma reports
/// that NUMA is not available; ``readSysfs(root:)`` reads any sysfs-shaped tree, so tests can feed
/// it a fake multi-node machine.
public struct HostTopology: Hashable, Sendable {
    /// One NUMA node.
    public struct Node: Hashable, Sendable {
        /// The kernel's node id.
        public var id: Int
        /// Logical CPUs on the node, ascending.
        public var cpus: [Int]
        /// Memory on the node.
        public var memoryTotal: Bytes
        /// Free memory on the node at the time of reading.
        public var memoryFree: Bytes

        /// Creates a node description.
        public init(id: Int, cpus: [Int], memoryTotal: Bytes, memoryFree: Bytes) {
            self.id = id
            self.cpus = cpus
            self.memoryTotal = memoryTotal
            self.memoryFree = memoryFree
        }
    }

    /// How the layout was read.
    public enum Source: String, Hashable, Sendable {
        /// libnuma's node, CPU-mask and distance calls.
        case libnuma
        /// The files under `/sys/devices/system/node` (or a tree shaped like it).
        case sysfs
    }

    /// The online nodes, by ascending id.
    public var nodes: [Node]
    /// `distances[i][j]`: the firmware's relative distance from `nodes[i]` to `nodes[j]` (10 is local).
    public var distances: [[Int]]
    /// How the layout was read.
    public var source: Source

    /// Creates a layout.
    public init(nodes: [Node], distances: [[Int]], source: Source) {
        self.nodes = nodes
        self.distances = distances
        self.source = source
    }

    /// The default sysfs directory of NUMA nodes.
    public static let sysfsRoot = "/sys/devices/system/node"

    /// This machine's layout, from libnuma when it reports NUMA available, else from sysfs.
    /// - Throws: ``TopologyError/unreadable(path:reason:)`` when neither source can be read.
    public static func current() throws -> HostTopology {
        if numa_available() >= 0 { return readLibnuma() }
        return try readSysfs(root: sysfsRoot)
    }

    /// The node whose CPU list contains `cpu`, or nil.
    public func node(ofCPU cpu: Int) -> Node? { nodes.first { $0.cpus.contains(cpu) } }
}
