import Foundation

/// A ServeGen client's input and output length PMFs over time (`chunk-N-dataset.json[.gz]`).
///
/// The file maps a window start (seconds, every 21,600 s) to PMF texts; a key's PMFs apply from that
/// time until the next key, as upstream's loader does. A period whose input or output PMF is empty
/// (`"{}"`) borrows the nearest earlier complete period, or else the earliest later one.
/// `reason_ratio` (DeepSeek-R1) is not used: `output_tokens` already counts the reasoning tokens.
struct ServeGenLengthSchedule: Sendable {
    /// Period starts in nanoseconds, increasing.
    private(set) var starts: [Int64] = []
    /// The (input, output) PMFs of each period, after borrowing for empty ones.
    private(set) var pmfs: [(input: DiscretePMF, output: DiscretePMF)] = []

    /// The largest length a PMF may name (far above any context window; guards the Int conversion).
    static let maximumTokens = 1e9

    /// Reads and parses a dataset file; returns nil when it holds no complete period at all.
    static func read(path: String) throws -> ServeGenLengthSchedule? {
        let data = try Self.contents(of: path)
        let table: [String: [String: String]]
        do {
            table = try JSONDecoder().decode([String: [String: String]].self, from: data)
        } catch {
            throw WorkloadError.unreadable(
                path: path, reason: "expected a JSON object {window start: {field: PMF text}}: \(error)")
        }
        var periods: [(start: Int64, input: DiscretePMF?, output: DiscretePMF?)] = []
        for (key, fields) in table {
            guard let seconds = Double(key), seconds >= 0 else {
                throw WorkloadError.malformedEntry(
                    path: path, key: key, message: "expected a window start in seconds as the key")
            }
            func pmf(_ field: String) throws -> DiscretePMF? {
                guard let text = fields[field] else {
                    throw WorkloadError.malformedEntry(path: path, key: key, message: "expected field \(field)")
                }
                let pmf: DiscretePMF?
                do {
                    pmf = try DiscretePMF(pythonDictLiteral: Substring(text))
                } catch {
                    throw WorkloadError.malformedEntry(path: path, key: "\(key).\(field)", message: "\(error)")
                }
                if let pmf, let bad = pmf.values.first(where: { !(0...Self.maximumTokens).contains($0) }) {
                    throw WorkloadError.malformedEntry(
                        path: path, key: "\(key).\(field)",
                        message: "expected token counts in 0...\(Int(Self.maximumTokens)), found \(bad)")
                }
                return pmf
            }
            periods.append((Int64((seconds * 1e9).rounded()), try pmf("input_tokens"), try pmf("output_tokens")))
        }
        periods.sort { $0.start < $1.start }
        let complete = periods.indices.filter { periods[$0].input != nil && periods[$0].output != nil }
        guard let firstComplete = complete.first else { return nil }
        var schedule = ServeGenLengthSchedule()
        var lastComplete = firstComplete
        for index in periods.indices {
            if periods[index].input != nil && periods[index].output != nil { lastComplete = index }
            let source = index < firstComplete ? firstComplete : lastComplete
            schedule.starts.append(periods[index].start)
            schedule.pmfs.append((periods[source].input!, periods[source].output!))
        }
        return schedule
    }

    /// The PMFs in force at `time` (the last period starting at or before it; the first before any).
    func pmfs(at time: Int64) -> (input: DiscretePMF, output: DiscretePMF) {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= time { low = middle } else { high = middle - 1 }
        }
        return pmfs[low]
    }

    /// The whole (decompressed) file: a statistics file of bounded size, not a request stream.
    private static func contents(of path: String) throws -> Data {
        guard path.hasSuffix(".gz") else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw WorkloadError.unreadable(path: path, reason: "no such readable file")
            }
            return data
        }
        let decompressor = try GzipDecompressor(path: path)
        let data = FileHandle(fileDescriptor: decompressor.outputDescriptor, closeOnDealloc: false)
            .readDataToEndOfFile()
        try decompressor.finish()
        return data
    }
}
