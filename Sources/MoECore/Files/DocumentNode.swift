import Foundation
import Yams

/// One value of a YAML or JSON document together with where it sits (file and key path), read
/// strictly: every accessor checks the value's type and range and throws an ``InputFileError`` that
/// names the key path, what was expected and what was found.
///
/// JSON is valid YAML, so both formats go through Yams' composer into one node tree and one decoder:
///
/// ```swift
/// let root = try DocumentNode.load(file: "scenario.yaml")
/// let fields = try root.mapping(keys: ["name", "seed"])
/// let seed = try fields.optional("seed")?.integer(.nonNegative) ?? 0
/// ```
public struct DocumentNode {
    /// The Yams node.
    public let node: Node
    /// Where the node sits in the document, such as `deployment.instances[1].ep`.
    public let keyPath: String
    /// The file the document came from, as the user named it.
    public let file: String

    /// Wraps `node`, found at `keyPath` of `file`.
    public init(node: Node, keyPath: String, file: String) {
        self.node = node
        self.keyPath = keyPath
        self.file = file
    }

    /// Reads and parses the YAML or JSON file at `path`.
    /// - Throws: ``InputFileError`` when the file cannot be read, is not valid YAML/JSON or is empty.
    public static func load(file path: String) throws -> DocumentNode {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputFileError(file: path, keyPath: "", message: "no such file")
        }
        guard !isDirectory.boolValue else {
            throw InputFileError(file: path, keyPath: "", message: "is a directory, expected a YAML or JSON file")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputFileError(file: path, keyPath: "", message: "cannot read the file as UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses `text` (YAML or JSON) that came from `file`.
    /// - Throws: ``InputFileError`` for a syntax error (with its line) or an empty document.
    public static func parse(_ text: String, file: String) throws -> DocumentNode {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        guard let composed else {
            throw InputFileError(file: file, keyPath: "", message: "the document is empty; expected a mapping")
        }
        return DocumentNode(node: composed, keyPath: "", file: file)
    }

    private static func syntaxError(_ error: YamlError, file: String) -> InputFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return InputFileError(file: file, line: mark.line, keyPath: "", message: "invalid YAML/JSON: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputFileError(
                file: file, line: context.mark.line, keyPath: "",
                message: "duplicate keys \(duplicates.joined(separator: ", ")) in one mapping")
        default:
            return InputFileError(file: file, keyPath: "", message: "invalid YAML/JSON: \(error)")
        }
    }

    /// The 1-based line of the value, when the parser recorded one.
    public var line: Int? { node.mark?.line }

    /// An error about this value: `message` is what is wrong or what was expected.
    public func error(_ message: String) -> InputFileError {
        InputFileError(file: file, line: line, keyPath: keyPath, message: message)
    }

    /// An error saying this value is not `expected` (such as "a positive integer"), naming what it is.
    public func mismatch(expected: String) -> InputFileError {
        error("expected \(expected), found \(foundDescription)")
    }

    /// Whether the value is YAML/JSON null (`~`, `null` or empty).
    public var isNull: Bool {
        scalarTag == .null
    }

    /// The child at `key` of a mapping, with its key path.
    func child(_ key: String, node: Node) -> DocumentNode {
        DocumentNode(node: node, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)", file: file)
    }

    /// What the value is, for error messages: `the string "x"`, `the number -1`, `a list`, ...
    var foundDescription: String {
        switch node {
        case .scalar(let scalar):
            switch scalarTag {
            case .null: return "null"
            case .bool: return "the boolean \(scalar.string)"
            case .int, .float: return "the number \(scalar.string)"
            default: return "the string \"\(scalar.string)\""
            }
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
