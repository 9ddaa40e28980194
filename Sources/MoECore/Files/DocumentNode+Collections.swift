import Yams

/// The fields of a mapping whose keys were checked against the allowed set.
public struct DocumentMapping {
    /// The mapping node itself.
    public let owner: DocumentNode
    private let fields: [String: DocumentNode]

    init(owner: DocumentNode, fields: [String: DocumentNode]) {
        self.owner = owner
        self.fields = fields
    }

    /// The value at `key`, or nil when the key is absent or null.
    public func optional(_ key: String) -> DocumentNode? {
        guard let value = fields[key], !value.isNull else { return nil }
        return value
    }

    /// The value at `key`.
    /// - Throws: ``InputFileError`` naming the missing key.
    public func required(_ key: String) throws -> DocumentNode {
        guard let value = optional(key) else { throw missing(key) }
        return value
    }

    /// The value at `key` decoded by `decode`, or `inherited` (from an entry this one extends) when
    /// the key is absent.
    /// - Throws: ``InputFileError`` when the key is absent and nothing is inherited, or from `decode`.
    public func value<Value>(
        _ key: String, inheriting inherited: Value?, _ decode: (DocumentNode) throws -> Value
    ) throws -> Value {
        if let node = optional(key) { return try decode(node) }
        guard let inherited else { throw missing(key) }
        return inherited
    }

    /// The error for a required key that is absent.
    public func missing(_ key: String) -> InputFileError {
        let path = owner.keyPath.isEmpty ? key : "\(owner.keyPath).\(key)"
        return InputFileError(
            file: owner.file, line: owner.node.mark?.line, keyPath: path, message: "missing required key")
    }

    /// Whether `key` is present with a non-null value.
    public func contains(_ key: String) -> Bool { optional(key) != nil }
}

/// Mapping and list accessors.
extension DocumentNode {
    /// The value as a mapping with string keys, each of which must be in `keys`.
    /// - Throws: ``InputFileError`` for a non-mapping or for an unknown key (naming the allowed ones).
    public func mapping(keys: [String]) throws -> DocumentMapping {
        guard case .mapping(let mapping) = node else { throw mismatch(expected: "a mapping") }
        var fields: [String: DocumentNode] = [:]
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw error("mapping keys must be plain strings")
            }
            let key = keyScalar.string
            let value = child(key, node: valueNode)
            guard keys.contains(key) else {
                throw value.error("unknown key '\(key)'; expected one of: \(keys.joined(separator: ", "))")
            }
            fields[key] = value
        }
        return DocumentMapping(owner: self, fields: fields)
    }

    /// The value as a mapping from free-form string keys (such as device keys) to values.
    public func dictionary() throws -> [(key: String, value: DocumentNode)] {
        guard case .mapping(let mapping) = node else { throw mismatch(expected: "a mapping") }
        return try mapping.map { keyNode, valueNode in
            guard case .scalar(let keyScalar) = keyNode else { throw error("mapping keys must be plain strings") }
            return (keyScalar.string, child(keyScalar.string, node: valueNode))
        }
    }

    /// The value as a list; each element carries its index in its key path (`instances[1]`).
    public func list() throws -> [DocumentNode] {
        guard case .sequence(let sequence) = node else { throw mismatch(expected: "a list") }
        return sequence.enumerated().map { index, element in
            DocumentNode(node: element, keyPath: "\(keyPath)[\(index)]", file: file)
        }
    }

    /// The value as a non-empty list.
    public func nonEmptyList() throws -> [DocumentNode] {
        let elements = try list()
        guard !elements.isEmpty else { throw mismatch(expected: "a non-empty list") }
        return elements
    }
}
