/// Why a topology could not be built or read.
public enum TopologyError: Error, Equatable, CustomStringConvertible {
    /// The cluster names a host the catalog does not have.
    case unknownHost(String, known: [String])
    /// The host names a device the catalog does not have.
    case unknownDevice(String, host: String, known: [String])
    /// The host layout is inconsistent.
    case invalidLayout(String)

    public var description: String {
        switch self {
        case .unknownHost(let key, let known):
            "unknown host '\(key)'; known hosts: \(known.joined(separator: ", "))"
        case .unknownDevice(let key, let host, let known):
            "host '\(host)' names unknown device '\(key)'; known devices: \(known.joined(separator: ", "))"
        case .invalidLayout(let message):
            message
        }
    }
}
