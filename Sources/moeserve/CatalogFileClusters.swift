import MoECore

/// The clusters a catalog file defines, for `--cluster FILE`.
enum CatalogFileClusters {
    /// The `key` of every entry in the file's `clusters` list.
    /// - Throws: ``InputFileError`` when the file cannot be read or an entry has no string key.
    static func keys(in file: String) throws -> [String] {
        let root = try DocumentNode.load(file: file)
        guard let clusters = try root.dictionary().first(where: { $0.key == "clusters" })?.value else { return [] }
        return try clusters.list().map { entry in
            guard let key = try entry.dictionary().first(where: { $0.key == "key" })?.value else {
                throw entry.error("a cluster entry needs a key")
            }
            return try key.nonEmptyString()
        }
    }
}
