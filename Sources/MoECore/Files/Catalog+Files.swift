/// User catalog files: YAML or JSON documents with `models`, `devices`, `hosts` and `clusters` lists
/// whose entries override built-in ones with the same `key` or add new ones. An entry may say
/// `extends: <key>` to start from an existing entry and change only the fields it names.
/// See `Docs/Catalog.md` for every field and its unit.
extension Catalog {
    /// The catalog `base` (the built-in one by default) with the entries of `files` merged in order.
    /// - Throws: ``InputFileError`` naming the file and key path of the first problem.
    public static func loading(files: [String], onto base: Catalog = .builtin) throws -> Catalog {
        var catalog = base
        for file in files { try catalog.merge(DocumentNode.load(file: file)) }
        return catalog
    }

    /// Merges the entries of one parsed catalog document. Devices come first, then models, hosts and
    /// clusters, so a host may name a device the same file adds; an entry may extend an earlier one.
    public mutating func merge(_ document: DocumentNode) throws {
        let sections = try document.mapping(keys: ["devices", "models", "hosts", "clusters"])
        let file = document.file
        for entry in try Self.entries(sections, "devices", keys: DeviceSpec.documentKeys) {
            let base = try entry.base(in: "devices", existing: device)
            add(try DeviceSpec(key: entry.key, fields: entry.fields, base: base, file: file))
        }
        for entry in try Self.entries(sections, "models", keys: ModelSpec.documentKeys) {
            add(
                try ModelSpec(key: entry.key, fields: entry.fields, base: try entry.base(in: "models", existing: model))
            )
        }
        for entry in try Self.entries(sections, "hosts", keys: HostSpec.documentKeys) {
            let base = try entry.base(in: "hosts", existing: host)
            let host = try HostSpec(key: entry.key, fields: entry.fields, base: base, file: file)
            guard device(host.deviceKey) != nil else {
                throw (entry.fields.optional("device") ?? entry.fields.owner).mismatch(
                    expected: "a device key (one of \(devices.map(\.key).joined(separator: ", ")))")
            }
            add(host)
        }
        for entry in try Self.entries(sections, "clusters", keys: ["key", "extends", "host", "hosts", "fabric"]) {
            let base = try entry.base(in: "clusters", existing: cluster)
            let fields = entry.fields
            let hostKey = try fields.value("host", inheriting: base?.hostKey) { try $0.nonEmptyString() }
            guard let host = host(hostKey) else {
                throw try fields.required("host").mismatch(
                    expected: "a host key (one of \(hosts.map(\.key).joined(separator: ", ")))")
            }
            let fabricBase = base?.fabric ?? Catalog.defaultFabric(for: host)
            add(
                ClusterSpec(
                    key: entry.key, hostKey: hostKey,
                    hosts: try fields.value("hosts", inheriting: base?.hosts) { try $0.integer(.positive) },
                    fabric: try fields.optional("fabric").map { try FabricSpec(document: $0, base: fabricBase) }
                        ?? fabricBase))
        }
    }

    /// The entries of one section, each with its keys checked and its `key` unique in the file.
    private static func entries(_ sections: DocumentMapping, _ section: String, keys: [String]) throws
        -> [CatalogFileEntry]
    {
        guard let list = sections.optional(section) else { return [] }
        var seen: Set<String> = []
        return try list.list().map { entry in
            let fields = try entry.mapping(keys: keys)
            let keyNode = try fields.required("key")
            let key = try keyNode.nonEmptyString()
            guard seen.insert(key).inserted else { throw keyNode.error("duplicate key '\(key)' in \(section)") }
            return CatalogFileEntry(key: key, fields: fields)
        }
    }
}

/// One entry of a catalog file section: its key and its checked fields.
private struct CatalogFileEntry {
    let key: String
    let fields: DocumentMapping

    /// The entry named by `extends`, or nil when there is none.
    /// - Throws: ``InputFileError`` when `extends` names no existing entry.
    func base<Entry>(in section: String, existing: (String) -> Entry?) throws -> Entry? {
        guard let extends = fields.optional("extends") else { return nil }
        let baseKey = try extends.nonEmptyString()
        guard let found = existing(baseKey) else {
            throw extends.error("'\(baseKey)' is not in the catalog; extends must name an existing \(section) entry")
        }
        return found
    }
}
