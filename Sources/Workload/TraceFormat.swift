import Foundation

/// The workload file formats this module reads, and detection of which one a path holds.
///
/// `moeserve simulate --trace PATH` replaces the scenario's workload with ``open(path:options:)``:
/// the format is sniffed from the file's first non-empty line (or, for a folder, its ServeGen chunk
/// files), not from its extension, so a renamed or `.gz`-compressed file still opens.
public enum TraceFormat: String, CaseIterable, Hashable, Sendable {
    /// Azure LLM inference trace 2023: `TIMESTAMP,ContextTokens,GeneratedTokens`.
    case azure
    /// Mooncake JSONL: `{"timestamp": ms, "input_length", "output_length", "hash_ids"}` per line.
    case mooncake
    /// Vidur / Splitwise CSV: `arrived_at,num_prefill_tokens,num_decode_tokens`.
    case vidur
    /// A ServeGen model folder of `chunk-N-trace.csv[.gz]` (+ `chunk-N-dataset.json[.gz]`) files.
    case serveGen
    /// A length table (`num_prefill_tokens,num_decode_tokens` without `arrived_at`): lengths, no arrivals.
    case lengthTable

    /// How the format looks, for error messages.
    public var signature: String {
        switch self {
        case .azure: return "azure (CSV header TIMESTAMP,ContextTokens,GeneratedTokens)"
        case .mooncake: return "mooncake (JSONL with timestamp, input_length, output_length, hash_ids)"
        case .vidur: return "vidur (CSV header arrived_at,num_prefill_tokens,num_decode_tokens)"
        case .serveGen: return "serveGen (folder of chunk-N-trace.csv[.gz] files)"
        case .lengthTable: return "lengthTable (CSV header num_prefill_tokens,num_decode_tokens)"
        }
    }

    /// The format of the file or folder at `path`; throws listing the known formats when none fits.
    public static func detect(path: String) throws -> TraceFormat {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw WorkloadError.unreadable(path: path, reason: "no such file or folder")
        }
        if isDirectory.boolValue {
            guard (try? ServeGenFiles(directory: path)) != nil else {
                throw unknown(path, "a folder without chunk-N-trace.csv[.gz] files")
            }
            return .serveGen
        }
        let lines = try LineReader.opening(path)
        var firstLine: [UInt8] = []
        while try lines.advance() {
            if !lines.line.isEmpty {
                firstLine = lines.line
                break
            }
        }
        guard !firstLine.isEmpty else { throw unknown(path, "the file is empty") }
        let text = String(decoding: firstLine.prefix(4096), as: UTF8.self)
        if text.first == "{" {
            if text.contains("\"timestamp\"") && text.contains("\"input_length\"") { return .mooncake }
            throw unknown(path, "a JSON line without \"timestamp\" and \"input_length\"")
        }
        let columns = Set(CSVRow.columnNames(ofHeader: firstLine))
        if columns.isSuperset(of: AzureRowDecoder.columns) { return .azure }
        if columns.isSuperset(of: VidurRowDecoder.columns) { return .vidur }
        if columns.isSuperset(of: LengthTable.columns) { return .lengthTable }
        throw unknown(path, "first line \(ByteParsing.quoted(firstLine[...])) matches no known header")
    }

    /// Opens `path` as a request stream in the detected format. ServeGen folders use
    /// `ServeGenOptions(seed: options.seed)`; a length table has no arrivals and is an error that says
    /// to pair it with a generator.
    public static func open(path: String, options: TraceReaderOptions = TraceReaderOptions()) throws
        -> any RequestSource
    {
        switch try detect(path: path) {
        case .azure: return try AzureTraceReader(path: path, options: options)
        case .mooncake: return try MooncakeTraceReader(path: path, options: options)
        case .vidur: return try VidurTraceReader(path: path, options: options)
        case .serveGen: return try ServeGenWorkload(directory: path, options: ServeGenOptions(seed: options.seed))
        case .lengthTable:
            throw WorkloadError.unknownFormat(
                path: path,
                reason: "a length table has no arrival times; use it as LengthDistribution.table with a generator",
                known: [azure, mooncake, vidur, serveGen].map(\.signature))
        }
    }

    private static func unknown(_ path: String, _ reason: String) -> WorkloadError {
        .unknownFormat(path: path, reason: reason, known: allCases.map(\.signature))
    }
}
