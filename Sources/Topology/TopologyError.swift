/// Why a topology could not be built or read.
public enum TopologyError: Error, Equatable, CustomStringConvertible {
    /// The cluster names a host the catalog does not have.
    case unknownHost(String, known: [String])
    /// The host names a device the catalog does not have.
    case unknownDevice(String, host: String, known: [String])
    /// The host layout is inconsistent.
    case invalidLayout(String)
    /// A file describing this machine's layout is missing or malformed.
    case unreadable(path: String, reason: String)
    /// libnuma reports that this kernel or machine has no NUMA support.
    case numaUnavailable
    /// libnuma could not allocate memory on the node.
    case allocationFailed(bytes: Int, node: Int)
    /// The thread could not be bound to the node's CPUs.
    case bindingFailed(node: Int)

    public var description: String {
        switch self {
        case .unknownHost(let key, let known):
            "unknown host '\(key)'; known hosts: \(known.joined(separator: ", "))"
        case .unknownDevice(let key, let host, let known):
            "host '\(host)' names unknown device '\(key)'; known devices: \(known.joined(separator: ", "))"
        case .invalidLayout(let message):
            message
        case .unreadable(let path, let reason):
            "\(path): \(reason)"
        case .numaUnavailable:
            "libnuma reports NUMA as not available on this machine"
        case .allocationFailed(let bytes, let node):
            "could not allocate \(bytes) bytes on NUMA node \(node)"
        case .bindingFailed(let node):
            node < 0
                ? "could not unbind the thread from its NUMA node" : "could not bind the thread to NUMA node \(node)"
        }
    }
}
