/// Reads Vidur / Splitwise-simulator request traces: CSV with `arrived_at` (seconds, float),
/// `num_prefill_tokens` and `num_decode_tokens` (other columns, such as an index, are ignored), so
/// traces prepared for Vidur replay unchanged.
public final class VidurTraceReader: TraceReader {
    /// Opens the CSV at `path` (a `.gz` file is decompressed on the fly).
    public init(path: String, options: TraceReaderOptions = TraceReaderOptions()) throws {
        try super.init(path: path, decoder: VidurRowDecoder(), options: options)
    }
}

/// Decodes Vidur trace rows.
struct VidurRowDecoder: TraceRowDecoding {
    static let columns = ["arrived_at", "num_prefill_tokens", "num_decode_tokens"]
    private var indices = [0, 1, 2]
    private var row = CSVRow()

    var hasHeader: Bool { true }
    var defaultSlotWidth: Int64? { nil }

    mutating func readHeader(_ line: [UInt8], path: String, lineNumber: Int) throws {
        indices = try CSVRow.columnIndices(of: Self.columns, inHeader: line, path: path, line: lineNumber)
    }

    mutating func decode(_ line: [UInt8]) throws(RowProblem) -> TraceRow {
        row.split(line)
        guard let field = row.field(indices[0], of: line) else {
            throw RowProblem(message: "expected a value in column arrived_at, found none")
        }
        guard let seconds = ByteParsing.double(field), seconds >= 0, seconds < 9e9 else {
            throw RowProblem(
                message: "expected non-negative seconds in column arrived_at, found \(ByteParsing.quoted(field))")
        }
        return TraceRow(
            timestamp: Int64((seconds * 1e9).rounded()),
            promptTokens: try positiveInteger(row.field(indices[1], of: line), column: "num_prefill_tokens"),
            outputTokens: try integer(row.field(indices[2], of: line), column: "num_decode_tokens"))
    }
}
