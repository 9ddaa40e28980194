import Yams

/// Replacing one value of a document by key path, so that a tool can vary a scenario (`moeserve sweep
/// --vary scheduler.max_num_seqs=64,128`) and still decode the result with the same strict reader.
///
/// The override changes the node tree only; whether the new key or value is acceptable is for the decoder
/// to say, with its usual error naming the key path (an unknown key, a value of the wrong type or range).
extension DocumentNode {
    /// A copy of the document with the value at `keyPath` (`deployment.instances[0].ep`, relative to this
    /// node) replaced by `value`. A missing key of a mapping is added, with any missing mappings on the way.
    /// - Throws: ``InputFileError`` naming the key path when it is malformed, indexes past the end of a list,
    ///   or goes through a value that is not a mapping or a list.
    public func replacing(_ keyPath: String, with value: Node) throws -> DocumentNode {
        let segments = try Self.segments(of: keyPath, file: file)
        let replaced = try replace(in: node, segments: segments[...], path: self.keyPath, value: value)
        return DocumentNode(node: replaced, keyPath: self.keyPath, file: file)
    }

    /// ``replacing(_:with:)`` with `text` parsed as a YAML value: `8192`, `fp8`, `true`, `[1, 2]` or
    /// `{input_tokens: 1024, output_tokens: 256}`.
    /// - Throws: ``InputFileError`` naming the key path when `text` is not a YAML value or the path is bad.
    public func replacing(_ keyPath: String, withValueText text: String) throws -> DocumentNode {
        try replacing(keyPath, with: Self.value(parsing: text, keyPath: joined(self.keyPath, keyPath), file: file))
    }

    /// `text` parsed as one YAML value (empty text is YAML null), without line marks: its lines are not the
    /// document's, so errors about it name the key path alone.
    /// - Throws: ``InputFileError`` naming `keyPath` when `text` is not valid YAML.
    public static func value(parsing text: String, keyPath: String, file: String) throws -> Node {
        do {
            return unmarked(try Yams.compose(yaml: text) ?? Node("", Tag(.null)))
        } catch {
            throw InputFileError(
                file: file, keyPath: keyPath, message: "the value \"\(text)\" is not a YAML value (\(error))")
        }
    }

    private static func unmarked(_ node: Node) -> Node {
        switch node {
        case .scalar(var scalar):
            scalar.mark = nil
            return .scalar(scalar)
        case .mapping(let mapping):
            var copy = Node.Mapping(mapping.map { (unmarked($0.key), unmarked($0.value)) }, mapping.tag, mapping.style)
            copy.mark = nil
            return .mapping(copy)
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map(unmarked), sequence.tag, sequence.style))
        case .alias: return node
        }
    }

    /// One step of a key path: a mapping key, then list indices (`instances[0]` is the key `instances`
    /// and the index 0).
    private struct Segment {
        var key: String
        var indices: [Int]
    }

    private static func segments(of keyPath: String, file: String) throws -> [Segment] {
        func malformed(_ why: String) -> InputFileError {
            InputFileError(file: file, keyPath: keyPath, message: "malformed key path: \(why)")
        }
        guard !keyPath.isEmpty else { throw malformed("it is empty") }
        return try keyPath.split(separator: ".", omittingEmptySubsequences: false).map { part in
            var rest = Substring(part)
            let open = rest.firstIndex(of: "[") ?? rest.endIndex
            guard open > rest.startIndex else {
                throw malformed("'\(part)' has no key before its index")
            }
            let key = String(rest[..<open])
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw malformed("'\(key)' is not a key")
            }
            rest = rest[open...]
            var indices: [Int] = []
            while !rest.isEmpty {
                guard rest.first == "[", let close = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { throw malformed("'\(part)' has an index that is not [N] with N >= 0") }
                indices.append(index)
                rest = rest[rest.index(after: close)...]
            }
            return Segment(key: key, indices: indices)
        }
    }

    private func replace(in node: Node, segments: ArraySlice<Segment>, path: String, value: Node) throws -> Node {
        guard let segment = segments.first else { return value }
        let keyPath = joined(path, segment.key)
        var mapping: Node.Mapping
        switch node {
        case .mapping(let existing): mapping = existing
        case .scalar where DocumentNode(node: node, keyPath: path, file: file).isNull: mapping = Node.Mapping([])
        default:
            throw DocumentNode(node: node, keyPath: path, file: file).mismatch(
                expected: "a mapping holding '\(segment.key)'")
        }
        var child = mapping[segment.key] ?? Node.mapping(Node.Mapping([]))
        if segment.indices.isEmpty {
            child = try replace(in: child, segments: segments.dropFirst(), path: keyPath, value: value)
        } else {
            child = try replace(
                inList: child, indices: segment.indices[...], path: keyPath, rest: segments.dropFirst(), value: value)
        }
        mapping[segment.key] = child
        return .mapping(mapping)
    }

    private func replace(
        inList node: Node, indices: ArraySlice<Int>, path: String, rest: ArraySlice<Segment>, value: Node
    ) throws -> Node {
        guard let index = indices.first else { return try replace(in: node, segments: rest, path: path, value: value) }
        guard case .sequence(var list) = node else {
            throw DocumentNode(node: node, keyPath: path, file: file).mismatch(expected: "a list")
        }
        let elementPath = "\(path)[\(index)]"
        guard index < list.count else {
            throw InputFileError(
                file: file, line: list.mark?.line, keyPath: elementPath,
                message: "index \(index) is past the end of the list (\(list.count) element(s))")
        }
        list[index] = try replace(
            inList: list[index], indices: indices.dropFirst(), path: elementPath, rest: rest, value: value)
        return .sequence(list)
    }

    private func joined(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
