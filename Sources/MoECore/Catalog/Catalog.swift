/// The models, devices, hosts and clusters MoEServe knows by name: the built-in entries plus any a
/// user adds from YAML or JSON files (a user entry with a built-in key replaces it).
public struct Catalog: Sendable {
    /// Models by key, in catalog order.
    public private(set) var models: [ModelSpec]
    /// Devices by key, in catalog order.
    public private(set) var devices: [DeviceSpec]
    /// Hosts by key, in catalog order.
    public private(set) var hosts: [HostSpec]
    /// Named clusters, in catalog order.
    public private(set) var clusters: [ClusterSpec]

    /// The built-in catalog.
    public static let builtin = Catalog(
        models: builtinModels, devices: builtinDevices, hosts: builtinHosts, clusters: builtinClusters)

    /// Creates a catalog holding exactly these entries.
    public init(models: [ModelSpec], devices: [DeviceSpec], hosts: [HostSpec], clusters: [ClusterSpec]) {
        self.models = models
        self.devices = devices
        self.hosts = hosts
        self.clusters = clusters
    }

    /// The model with `key`, or nil.
    public func model(_ key: String) -> ModelSpec? { models.first { $0.key == key } }
    /// The device with `key`, or nil.
    public func device(_ key: String) -> DeviceSpec? { devices.first { $0.key == key } }
    /// The host with `key`, or nil.
    public func host(_ key: String) -> HostSpec? { hosts.first { $0.key == key } }
    /// The named cluster with `key`, or nil.
    public func cluster(_ key: String) -> ClusterSpec? { clusters.first { $0.key == key } }

    /// Adds `model`, replacing an entry with the same key in place.
    public mutating func add(_ model: ModelSpec) { Self.upsert(model, into: &models, key: \.key) }
    /// Adds `device`, replacing an entry with the same key in place.
    public mutating func add(_ device: DeviceSpec) { Self.upsert(device, into: &devices, key: \.key) }
    /// Adds `host`, replacing an entry with the same key in place.
    public mutating func add(_ host: HostSpec) { Self.upsert(host, into: &hosts, key: \.key) }
    /// Adds `cluster`, replacing an entry with the same key in place.
    public mutating func add(_ cluster: ClusterSpec) { Self.upsert(cluster, into: &clusters, key: \.key) }

    private static func upsert<Entry>(_ entry: Entry, into entries: inout [Entry], key: KeyPath<Entry, String>) {
        if let index = entries.firstIndex(where: { $0[keyPath: key] == entry[keyPath: key] }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }
}
