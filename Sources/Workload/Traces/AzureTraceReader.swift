/// Reads the Azure LLM inference trace 2023 (`AzureLLMInferenceTrace_{code,conv}.csv`, Splitwise):
/// `TIMESTAMP,ContextTokens,GeneratedTokens` with timestamps like `2023-11-16 18:15:46.6805900`.
public final class AzureTraceReader: TraceReader {
    /// Opens the CSV at `path` (a `.gz` file is decompressed on the fly).
    public init(path: String, options: TraceReaderOptions = TraceReaderOptions()) throws {
        try super.init(path: path, decoder: AzureRowDecoder(), options: options)
    }
}

/// Decodes Azure 2023 trace rows.
struct AzureRowDecoder: TraceRowDecoding {
    static let columns = ["TIMESTAMP", "ContextTokens", "GeneratedTokens"]
    private var indices = [0, 1, 2]
    private var row = CSVRow()

    var hasHeader: Bool { true }
    var defaultSlotWidth: Int64? { nil }

    mutating func readHeader(_ line: [UInt8], path: String, lineNumber: Int) throws {
        indices = try CSVRow.columnIndices(of: Self.columns, inHeader: line, path: path, line: lineNumber)
    }

    mutating func decode(_ line: [UInt8]) throws(RowProblem) -> TraceRow {
        row.split(line)
        guard let stamp = row.field(indices[0], of: line) else {
            throw RowProblem(message: "expected a value in column TIMESTAMP, found none")
        }
        guard let timestamp = CivilTimestamp.nanoseconds(stamp) else {
            throw RowProblem(
                message: "expected a timestamp YYYY-MM-DD HH:MM:SS.fffffff in column TIMESTAMP, "
                    + "found \(ByteParsing.quoted(stamp))")
        }
        return TraceRow(
            timestamp: timestamp,
            promptTokens: try positiveInteger(row.field(indices[1], of: line), column: "ContextTokens"),
            outputTokens: try integer(row.field(indices[2], of: line), column: "GeneratedTokens"))
    }
}
