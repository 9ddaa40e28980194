import Foundation

/// The `chunk-N-trace.csv[.gz]` and `chunk-N-dataset.json[.gz]` files of a ServeGen model folder.
struct ServeGenFiles {
    let directory: String
    /// Trace file of each chunk number.
    private var traces: [Int: String] = [:]
    /// Dataset (length PMF) file of each chunk number, where there is one.
    private var datasets: [Int: String] = [:]

    /// Lists `directory`; throws when it cannot be read or holds no trace files.
    init(directory: String) throws {
        self.directory = directory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw WorkloadError.unreadable(path: directory, reason: "expected a ServeGen model folder: \(error)")
        }
        // Sorted so an uncompressed copy ("….csv") is seen after, and wins over, its ".gz".
        for name in names.sorted(by: >) {
            guard let (chunk, kind) = Self.parse(name) else { continue }
            let path = (directory as NSString).appendingPathComponent(name)
            if kind == "trace.csv" { traces[chunk] = path } else { datasets[chunk] = path }
        }
        guard !traces.isEmpty else {
            throw WorkloadError.unreadable(path: directory, reason: "expected chunk-N-trace.csv[.gz] files, found none")
        }
    }

    /// All chunk numbers in order, or the requested ones (each must exist).
    func select(_ requested: [Int]?) throws -> [Int] {
        guard let requested else { return traces.keys.sorted() }
        let missing = requested.filter { traces[$0] == nil }
        guard missing.isEmpty else {
            throw WorkloadError.invalidParameter(
                name: "ServeGen clients",
                message: "no chunk-N-trace.csv for \(missing.map(String.init).joined(separator: ", ")) in \(directory)")
        }
        return Array(Set(requested)).sorted()
    }

    func tracePath(_ chunk: Int) -> String { traces[chunk]! }
    func datasetPath(_ chunk: Int) -> String? { datasets[chunk] }

    /// (N, "trace.csv" | "dataset.json") for `chunk-N-trace.csv[.gz]` / `chunk-N-dataset.json[.gz]`.
    private static func parse(_ name: String) -> (Int, String)? {
        let stem = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
        guard stem.hasPrefix("chunk-") else { return nil }
        let rest = stem.dropFirst("chunk-".count)
        guard let dash = rest.firstIndex(of: "-"), let chunk = Int(rest[..<dash]), chunk >= 0 else { return nil }
        let kind = String(rest[rest.index(after: dash)...])
        return kind == "trace.csv" || kind == "dataset.json" ? (chunk, kind) : nil
    }
}
