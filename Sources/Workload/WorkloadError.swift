/// Why a workload could not be read or built: every case names the file (and line, where there is one)
/// and what was expected, so a bad trace can be fixed without a debugger.
public enum WorkloadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A row of a trace or statistics file does not parse: `path:line: expected …, found …`.
    case malformedRow(path: String, line: Int, message: String)
    /// An entry of a keyed file (a ServeGen dataset JSON) does not parse: `path: key …: expected …`.
    case malformedEntry(path: String, key: String, message: String)
    /// A file could not be opened or read (missing, unreadable, or its decompressor failed).
    case unreadable(path: String, reason: String)
    /// `TraceFormat.detect(path:)` did not recognise the file; `known` lists the formats it knows.
    case unknownFormat(path: String, reason: String, known: [String])
    /// A generator or transform was configured with an impossible value (a negative rate, say).
    case invalidParameter(name: String, message: String)

    /// The message in `path:line: …` form (as compilers print), so editors can jump to the bad row.
    public var description: String {
        switch self {
        case .malformedRow(let path, let line, let message):
            return "\(path):\(line): \(message)"
        case .malformedEntry(let path, let key, let message):
            return "\(path): \(key): \(message)"
        case .unreadable(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .unknownFormat(let path, let reason, let known):
            return "\(path): unknown trace format (\(reason)); known formats: \(known.joined(separator: ", "))"
        case .invalidParameter(let name, let message):
            return "invalid \(name): \(message)"
        }
    }
}
