/// A problem with a user's input file (scenario or catalog): it names the file, the line when known,
/// the key path inside the document (such as `deployment.instances[1].ep`) and what was expected.
public struct InputFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file, as the user named it.
    public var file: String
    /// The 1-based line of the offending value, when the parser reported one.
    public var line: Int?
    /// The key path of the offending value (`deployment.instances[1].ep`), empty for the whole file.
    public var keyPath: String
    /// What is wrong and what was expected.
    public var message: String

    /// Creates an error for `keyPath` in `file`.
    public init(file: String, line: Int? = nil, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line: key.path: message`, the form editors and terminals link to.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}
